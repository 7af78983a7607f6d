using Plexus.Bench.Infrastructure;
using Plexus.Bench.Reporting;

namespace Plexus.Bench.Scenarios;

/// <summary>
/// API requests one ADD of a pod with two NADs makes (counted by the simulator): thin and thick with
/// the runtime passing the pod's annotations, and thin without them (then one pod GET more).
/// </summary>
internal static class ApiRequestScenario
{
    /// <summary>Issue 4: one GET per NAD + one status write + one event, none for the pod when the runtime passes its annotations.</summary>
    private const int Target = 4;

    public static BenchRow Run(PodCycles pods, BenchNode node, bool thick, List<string> notes)
    {
        using var netns = PodNamespace.Create();
        var id = node.NextContainerId();
        var (total, breakdown) = pods.Cluster.CountRequests(() => pods.Call(thick, "ADD", ProbeMode.WallTime, 0, netns.Path, id));
        pods.Call(thick, "DEL", ProbeMode.WallTime, 0, netns.Path, id);
        var mode = thick ? "thick" : "thin";
        var annotations = pods.AnnotationsFromRuntime ? "runtime passes the pod annotations" : "runtime does not pass the pod annotations";
        notes.Add($"API requests per ADD ({mode}, pod with two NADs, {annotations}): {total} = {breakdown}");
        return new BenchRow
        {
            Name = $"api-requests-{mode}{(pods.AnnotationsFromRuntime ? "" : "-pod-get")}",
            Measures = $"API requests one ADD makes ({(thick ? "shim+plexusd, caches synced" : "thin plexus")}, pod with two NADs, {annotations})",
            Unit = "requests",
            Candidate = new Side(thick ? "shim+plexusd" : "plexus", Summary.Of([total])),
        }.Apply(Targets.ValueAtMost(pods.AnnotationsFromRuntime ? Target : Target + 1));
    }
}
