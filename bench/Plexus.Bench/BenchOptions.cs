namespace Plexus.Bench;

internal sealed record BenchOptions(int Iterations, int Warmup, IReadOnlySet<string> Only, string ArtifactsBin, string CniPluginDir, string OutFile)
{
    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"bench: expected --name value pairs, got '{args[i]}'");
            }
            values[args[i][2..]] = args[++i];
        }
        string Get(string key, string fallback) => values.GetValueOrDefault(key, fallback);
        return new BenchOptions(
            int.Parse(Get("iterations", "30"), System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(Get("warmup", "5"), System.Globalization.CultureInfo.InvariantCulture),
            Get("only", "").Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal),
            Path.GetFullPath(Get("bin", "artifacts/bin")),
            Get("cni", "/usr/lib/cni"),
            Path.GetFullPath(Get("out", "bench/results/latest.json")));
    }
}
