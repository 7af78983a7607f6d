using System.Globalization;
using System.Text.Json.Nodes;

namespace Plexus.Bench;

/// <summary>
/// Command line: <c>--iterations N --warmup N --throughput-iterations N --only group,... --bin DIR --cni DIR --out FILE
/// --daemon-config JSON</c>. Groups: version, add-del, api-requests, throughput, daemon, agent. The daemon config
/// (e.g. <c>{"maxInFlight":16}</c>) is merged into every plexusd config the bench writes, for what-if runs.
/// </summary>
internal sealed record BenchOptions(
    int Iterations, int Warmup, int ThroughputIterations, IReadOnlySet<string> Only, string ArtifactsBin, string CniPluginDir, string OutFile,
    JsonObject DaemonConfig)
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
        var iterations = int.Parse(Get("iterations", "20"), CultureInfo.InvariantCulture);
        return new BenchOptions(
            iterations,
            int.Parse(Get("warmup", "3"), CultureInfo.InvariantCulture),
            int.Parse(Get("throughput-iterations", iterations.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture),
            Get("only", "").Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal),
            Path.GetFullPath(Get("bin", "artifacts/bin")),
            Get("cni", "/usr/lib/cni"),
            Path.GetFullPath(Get("out", "bench/results/latest.json")),
            JsonNode.Parse(Get("daemon-config", "{}")) as JsonObject ?? throw new ArgumentException("bench: --daemon-config must be a JSON object"));
    }

    public bool Wants(string group) => Only.Count == 0 || Only.Contains(group);
}
