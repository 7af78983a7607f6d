using System.Diagnostics;
using Plexus.Bench.Infrastructure;
using Plexus.Bench.Reporting;

namespace Plexus.Bench.Scenarios;

/// <summary>
/// Pods per second with N pods starting at once (each ADD then DEL, two NADs): the delegates run
/// directly, the thin plexus and the shim through plexusd, measured in turns. Each concurrent slot
/// has its own pod namespace, reused by its pods (DEL leaves it empty again). The CPU each way costs
/// per pod is noted too: on a machine this small, pods/s at 16 at once is CPU per pod.
/// </summary>
internal static class ThroughputScenario
{
    private sealed record Mode(string Name, string Label, Func<int, string, string, Sample> Cycle)
    {
        public CpuTimes Bench { get; set; }

        public TimeSpan Daemon { get; set; }

        /// <summary>plexusd's own share of <see cref="Daemon"/>: without the delegates it waited for.</summary>
        public TimeSpan DaemonSelf { get; set; }

        public int Pods { get; set; }

        /// <summary>The first failure; later rounds skip this mode so the other modes still get measured.</summary>
        public Exception? Error { get; set; }
    }

    public static IReadOnlyList<BenchRow> Run(PodCycles pods, BenchNode node, int concurrency, int iterations, int warmup, List<string> notes)
    {
        Mode[] modes =
        [
            new("direct", "direct", (_, netns, id) => pods.Direct(ProbeMode.WallTime, netns, id)),
            new("thin", "plexus", (slot, netns, id) => pods.Thin(ProbeMode.WallTime, slot, netns, id)),
            new("thick", "shim+plexusd", (slot, netns, id) => pods.Thick(ProbeMode.WallTime, slot, netns, id)),
        ];
        var slots = new List<PodNamespace>();
        try
        {
            for (var i = 0; i < concurrency; i++)
            {
                slots.Add(PodNamespace.Create());
            }
            var thick = modes[2];
            var samples = Alternation.Run([.. modes.Select(m => (Func<double>)(() => Measured(m, slots, node, pods.Daemon)))], iterations, warmup);
            notes.Add($"CPU per pod at {concurrency} at once (bench process incl. the API simulator / CNI processes it spawned / plexusd incl. its delegates): " +
                string.Join(", ", modes.Select(m =>
                    $"{m.Name} {PerPod(m.Bench.Self, m)}/{PerPod(m.Bench.Children, m)}/{PerPod(m.Daemon, m)} ms")) +
                $"; plexusd itself (without its delegates) {PerPod(thick.DaemonSelf, thick)} ms per thick pod");
            if (modes[0].Error is { } directFailed)
            {
                throw new InvalidOperationException("the direct baseline failed", directFailed);
            }
            var direct = new Side("direct", Summary.Of(samples[0]));
            var target = concurrency >= 4 ? Targets.RatioAtLeast(0.9) : null;
            return [.. modes.Skip(1).Select((m, i) => m.Error is { } error
                ? BenchRow.Failed($"throughput-{concurrency}-{m.Name}", $"pods/s with {concurrency} at once: {m.Name}", "pods/s", error)
                : Row(concurrency, m, samples[i + 1], direct, target))];
        }
        finally
        {
            slots.ForEach(s => s.Dispose());
        }
    }

    private static string PerPod(TimeSpan cpu, Mode mode) => (cpu.TotalMilliseconds / Math.Max(1, mode.Pods)).ToString("F0", System.Globalization.CultureInfo.InvariantCulture);

    private static double Measured(Mode mode, IReadOnlyList<PodNamespace> slots, BenchNode node, BenchDaemon? daemon)
    {
        if (mode.Error is not null)
        {
            return double.NaN;
        }
        try
        {
            return MeasuredOnce(mode, slots, node, daemon);
        }
        catch (AggregateException e)
        {
            mode.Error = e.InnerExceptions[0];
            return double.NaN;
        }
    }

    private static double MeasuredOnce(Mode mode, IReadOnlyList<PodNamespace> slots, BenchNode node, BenchDaemon? daemon)
    {
        var bench = CpuTimes.ReadSelf();
        var daemonBefore = DaemonCpu(daemon);
        var podsPerSecond = PodsPerSecond(slots, node, mode.Cycle);
        mode.Bench += CpuTimes.ReadSelf() - bench;
        if (daemon is not null)
        {
            var used = DaemonCpu(daemon) - daemonBefore;
            mode.Daemon += used.Self + used.Children;
            mode.DaemonSelf += used.Self;
        }
        mode.Pods += slots.Count;
        return podsPerSecond;
    }

    /// <summary>Zero once plexusd is gone (its thick rows then fail on their own).</summary>
    private static CpuTimes DaemonCpu(BenchDaemon? daemon)
    {
        try
        {
            return daemon is null ? default : CpuTimes.Read(daemon.Pid);
        }
        catch (IOException)
        {
            return default;
        }
    }

    private static BenchRow Row(int concurrency, Mode mode, IReadOnlyList<double> samples, Side direct, Func<BenchRow, TargetCheck?>? target) => new BenchRow
    {
        Name = $"throughput-{concurrency}-{mode.Name}",
        Measures = $"pods/s with {concurrency} {(concurrency == 1 ? "pod" : "pods")} at once (ADD then DEL, two NADs): {mode.Name} vs the same delegates run directly",
        Unit = "pods/s",
        Candidate = new Side(mode.Label, Summary.Of(samples)),
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
