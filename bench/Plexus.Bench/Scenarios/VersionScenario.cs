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

    /// <summary>
    /// The same cold start on a node with many mounts: the .NET runtime reads /proc/self/mountinfo twice while it
    /// starts (its cgroup lookups for the GC's memory limit and for the CPU quota), which the CNI executables skip
    /// on a CNI call (apps/cni-start); Go's runtime never reads it. No target: the row shows what a node's mount
    /// count adds to every plugin call.
    /// </summary>
    public static Comparison OnBusyNode(string name, string binary, BenchPaths paths, BusyMountTable mounts) =>
        Create(name, binary, paths, target: null, mounts.Run, $", in a mount namespace of {mounts.Entries} mounts");

    private static Comparison Create(
        string name,
        string binary,
        BenchPaths paths,
        Func<BenchRow, TargetCheck?>? target,
        Func<Func<ProcessSample>, ProcessSample>? within = null,
        string where = "")
    {
        within ??= spawn => spawn();
        var env = new Dictionary<string, string> { ["CNI_COMMAND"] = "VERSION" };
        var stdin = "{\"cniVersion\":\"1.0.0\"}"u8.ToArray();
        var label = Path.GetFileName(binary);
        Sample Version(ProbeMode mode, string program, string what) =>
            Sample.Of(Expect(within(() => ProcessProbe.Run(mode, [program], env, stdin)), $"{what} VERSION"));
        return new Comparison(
            name,
            $"VERSION, whole process{where}: {label} vs Debian's bridge",
            label,
            mode => Version(mode, binary, label),
            "bridge",
            mode => Version(mode, paths.Plugin("bridge"), "bridge"),
            target);
    }

    private static ProcessSample Expect(ProcessSample sample, string what) =>
        sample.ExitCode == 0 && sample.Stdout.Contains("supportedVersions", StringComparison.Ordinal)
            ? sample
            : throw new InvalidOperationException($"{what} failed: exit {sample.ExitCode}, output {sample.Stdout}");
}
