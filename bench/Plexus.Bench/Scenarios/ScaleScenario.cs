using System.Diagnostics;
using System.Text.Json.Nodes;
using Plexus.Bench.Infrastructure;
using Plexus.Bench.Reporting;
using Plexus.KubeSim;

namespace Plexus.Bench.Scenarios;

/// <summary>
/// plexusd's memory and cache sync time with many pods on its node and many NADs in the cluster:
/// the simulator is seeded in-process, then plexusd is started <see cref="Runs"/> times against it;
/// each run times start → both caches full, then reads VmRSS/VmHWM after a short settle.
/// </summary>
internal sealed class ScaleScenario(BenchPaths paths, BenchNode node, List<string> notes, JsonObject daemonConfig)
{
    public const int Runs = 3;
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan SyncTimeout = TimeSpan.FromMinutes(2);

    /// <summary>plexusd with no API server at all: the floor every cache figure sits on.</summary>
    public async Task<BenchRow> IdleAsync(CancellationToken cancellationToken)
    {
        var (times, memory) = await RunDaemonAsync(null, d => d.WaitServingAsync(SyncTimeout, cancellationToken), cancellationToken);
        return new BenchRow
        {
            Name = "daemon-idle",
            Measures = "plexusd without an API server (no caches): start to serving, RSS and managed heap 1 s later",
            Unit = "ms",
            Candidate = Side(times, memory),
        };
    }

    public async Task<BenchRow> LoadedAsync(int pods, int nads, double? targetMiB, CancellationToken cancellationToken)
    {
        await using var sim = await KubeSimServer.StartAsync(cancellationToken: cancellationToken);
        var seeding = Stopwatch.StartNew();
        sim.InstallNetworkAttachmentDefinitionCrd();
        for (var i = 0; i < nads; i++)
        {
            sim.Create(ScaleObjects.Nad(i));
        }
        for (var i = 0; i < pods; i++)
        {
            sim.Create(ScaleObjects.Pod(i, BenchCluster.NodeName, nads));
        }
        notes.Add($"seeding {pods} pods + {nads} NADs into the simulator (in-process): {seeding.Elapsed.TotalSeconds:F1} s");
        var kubeconfig = sim.WriteKubeconfig(Path.Combine(node.WorkDir, $"kubeconfig-{pods}-{nads}"));
        var (times, memory) = await RunDaemonAsync(kubeconfig,
            d => d.WaitCachesAsync(pods, nads, SyncTimeout, cancellationToken), cancellationToken);
        return new BenchRow
        {
            Name = $"daemon-{pods}p-{nads}n",
            Measures = $"plexusd with {pods:N0} pods on its node and {nads:N0} NADs: start to both caches synced, RSS and managed heap 1 s later",
            Unit = "ms",
            Candidate = Side(times, memory),
        }.Apply(targetMiB is { } mib ? Targets.RssAtMost(mib) : null);
    }

    private async Task<(List<double> Times, List<(ProcStatus Status, double? Heap)> Memory)> RunDaemonAsync(
        string? kubeconfig, Func<BenchDaemon, Task<TimeSpan>> ready, CancellationToken cancellationToken)
    {
        var times = new List<double>();
        var memory = new List<(ProcStatus, double?)>();
        for (var run = 0; run < Runs; run++)
        {
            await using var daemon = BenchDaemon.Start(paths, node.WorkDir, kubeconfig, kubeconfig is null ? null : BenchCluster.NodeName, daemonConfig);
            times.Add((await ready(daemon)).TotalMilliseconds);
            await Task.Delay(Settle, cancellationToken);
            var status = daemon.Memory();
            var heap = PrometheusText.Value(await daemon.ScrapeAsync(cancellationToken), "dotnet_total_memory_bytes");
            memory.Add((status, heap));
        }
        return (times, memory);
    }

    /// <summary>Sync times; the median settled RSS and heap and the largest high-water mark of the runs.</summary>
    private static Side Side(List<double> times, List<(ProcStatus Status, double? Heap)> memory) => new(
        "plexusd",
        Summary.Of(times),
        PeakRssKiB: memory.Max(m => m.Status.VmHwmKiB),
        RssKiB: (long)Summary.MedianOf([.. memory.Select(m => (double)m.Status.VmRssKiB).Order()]),
        HeapKiB: memory.All(m => m.Heap is not null) ? (long)(Summary.MedianOf([.. memory.Select(m => m.Heap!.Value).Order()]) / 1024) : null);
}
