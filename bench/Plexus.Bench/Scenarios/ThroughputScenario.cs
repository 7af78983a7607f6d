using System.Diagnostics;
using Plexus.Bench.Infrastructure;
using Plexus.Bench.Reporting;

namespace Plexus.Bench.Scenarios;

/// <summary>
/// Pods per second with N pods starting at once (each ADD then DEL, two NADs): the delegates run
/// directly, the thin plexus and the shim through plexusd, measured in turns. Each concurrent slot
/// has its own pod namespace, reused by its pods (DEL leaves it empty again).
/// </summary>
internal static class ThroughputScenario
{
    public static IReadOnlyList<BenchRow> Run(PodCycles pods, BenchNode node, int concurrency, int iterations, int warmup)
    {
        var slots = new List<PodNamespace>();
        try
        {
            for (var i = 0; i < concurrency; i++)
            {
                slots.Add(PodNamespace.Create());
            }
            double Batch(Func<int, string, string, Sample> cycle) => PodsPerSecond(slots, node, cycle);
            var samples = Alternation.Run(
            [
                () => Batch((_, netns, id) => pods.Direct(ProbeMode.WallTime, netns, id)),
                () => Batch((slot, netns, id) => pods.Thin(ProbeMode.WallTime, slot, netns, id)),
                () => Batch((slot, netns, id) => pods.Thick(ProbeMode.WallTime, slot, netns, id)),
            ], iterations, warmup);
            var direct = new Side("direct", Summary.Of(samples[0]));
            var target = concurrency >= 4 ? Targets.RatioAtLeast(0.9) : null;
            return
            [
                Row(concurrency, "thin", "plexus", samples[1], direct, target),
                Row(concurrency, "thick", "shim+plexusd", samples[2], direct, target),
            ];
        }
        finally
        {
            slots.ForEach(s => s.Dispose());
        }
    }

    private static BenchRow Row(int concurrency, string mode, string label, IReadOnlyList<double> samples, Side direct,
        Func<BenchRow, TargetCheck?>? target) => new BenchRow
        {
            Name = $"throughput-{concurrency}-{mode}",
            Measures = $"pods/s with {concurrency} pods at once (ADD then DEL, two NADs): {mode} vs the same delegates run directly",
            Unit = "pods/s",
            Candidate = new Side(label, Summary.Of(samples)),
            Baseline = direct,
        }.Apply(target);

    /// <summary>Starts one pod per slot together and returns pods finished per second of wall time.</summary>
    private static double PodsPerSecond(IReadOnlyList<PodNamespace> slots, BenchNode node, Func<int, string, string, Sample> cycle)
    {
        using var start = new Barrier(slots.Count + 1);
        var errors = new List<Exception>();
        var threads = slots.Select((slot, index) => new Thread(() =>
        {
            var id = node.NextContainerId();
            start.SignalAndWait();
            try
            {
                cycle(index, slot.Path, id);
            }
            catch (Exception e)
            {
                lock (errors)
                {
                    errors.Add(e);
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        start.SignalAndWait();
        var began = Stopwatch.GetTimestamp();
        threads.ForEach(t => t.Join());
        var seconds = Stopwatch.GetElapsedTime(began).TotalSeconds;
        return errors.Count == 0 ? slots.Count / seconds : throw new AggregateException("throughput pod failed", errors);
    }
}
