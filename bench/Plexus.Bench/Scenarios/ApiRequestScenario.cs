using Plexus.Bench.Infrastructure;
using Plexus.Bench.Reporting;

namespace Plexus.Bench.Scenarios;

/// <summary>API requests one ADD of a pod with two NADs makes (counted by the simulator), thin and thick.</summary>
internal static class ApiRequestScenario
{
    /// <summary>Issue 8: one GET per NAD + one status write + one event.</summary>
    private const int Target = 4;

    public static BenchRow Run(PodCycles pods, BenchNode node, bool thick, List<string> notes)
    {
        using var netns = PodNamespace.Create();
        var id = node.NextContainerId();
        var (total, breakdown) = pods.Cluster.CountRequests(() => pods.Call(thick, "ADD", ProbeMode.WallTime, 0, netns.Path, id));
        pods.Call(thick, "DEL", ProbeMode.WallTime, 0, netns.Path, id);
        var mode = thick ? "thick" : "thin";
        notes.Add($"API requests per ADD ({mode}, pod with two NADs): {total} = {breakdown}");
        return new BenchRow
        {
            Name = $"api-requests-{mode}",
            Measures = $"API requests one ADD makes ({(thick ? "shim+plexusd, caches synced" : "thin plexus")}, pod with two NADs)",
            Unit = "requests",
            Candidate = new Side(thick ? "shim+plexusd" : "plexus", Summary.Of([total])),
        }.Apply(Targets.ValueAtMost(Target));
    }
}
