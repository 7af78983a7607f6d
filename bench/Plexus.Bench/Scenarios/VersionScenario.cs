using Plexus.Bench.Infrastructure;
using Plexus.Bench.Reporting;

namespace Plexus.Bench.Scenarios;

/// <summary>Cold start of a CNI executable answering VERSION: the cost paid on every plugin call.</summary>
internal static class VersionScenario
{
    /// <summary>The thin plugin: issue 8's target is ≤ 1.5× bridge and ≤ 16 MiB peak.</summary>
    public static Comparison Plexus(BenchPaths paths) =>
        Create("version", paths.Plexus, paths, Targets.RatioAndPeakRss(1.5, 16));

    /// <summary>The thick-mode shim answers VERSION itself: issue 6's target is within 1.2× bridge.</summary>
    public static Comparison Shim(BenchPaths paths) =>
        Create("version-shim", paths.Shim, paths, Targets.RatioAtMost(1.2));

    private static Comparison Create(string name, string binary, BenchPaths paths, Func<BenchRow, TargetCheck?> target)
    {
        var env = new Dictionary<string, string> { ["CNI_COMMAND"] = "VERSION" };
        var stdin = "{\"cniVersion\":\"1.0.0\"}"u8.ToArray();
        var label = Path.GetFileName(binary);
        return new Comparison(
            name,
            $"VERSION, whole process: {label} vs Debian's bridge",
            label,
            mode => Sample.Of(Expect(ProcessProbe.Run(mode, [binary], env, stdin), $"{label} VERSION")),
            "bridge",
            mode => Sample.Of(Expect(ProcessProbe.Run(mode, [paths.Plugin("bridge")], env, stdin), "bridge VERSION")),
            target);
    }

    private static ProcessSample Expect(ProcessSample sample, string what) =>
        sample.ExitCode == 0 && sample.Stdout.Contains("supportedVersions", StringComparison.Ordinal)
            ? sample
            : throw new InvalidOperationException($"{what} failed: exit {sample.ExitCode}, output {sample.Stdout}");
}
