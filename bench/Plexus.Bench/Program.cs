using Plexus.Bench;
using Plexus.Bench.Infrastructure;
using Plexus.Bench.Reporting;
using Plexus.Bench.Scenarios;

// Usage: see BenchOptions. The ADD/DEL and throughput rows need root and run only inside the
// node namespace bench/run.sh creates; the rest run anywhere.
var options = BenchOptions.Parse(args);
var paths = new BenchPaths(options.ArtifactsBin, options.CniPluginDir);
paths.Validate();
var run = new RunInfo(MachineInfo.Describe(), DateTimeOffset.UtcNow, options.Iterations, options.Warmup);
var rows = new List<BenchRow>();
var notes = new List<string>();
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

// A failing scenario becomes a "failed" row; the rest of the table still gets measured.
async Task Measure(string group, string name, string measures, string unit, Func<Task<IEnumerable<BenchRow>>> scenario)
{
    if (!options.Wants(group))
    {
        return;
    }
    Console.Error.WriteLine($"bench: {name} ({DateTime.Now:HH:mm:ss})");
    try
    {
        rows.AddRange(await scenario());
    }
    catch (Exception e) when (e is not OperationCanceledException)
    {
        Console.Error.WriteLine($"bench: {name} failed: {e}");
        rows.Add(BenchRow.Failed(name, measures, unit, e));
    }
}

Task Compare(string group, Comparison comparison) => Measure(group, comparison.Name, comparison.Measures, "ms",
    () => Task.FromResult<IEnumerable<BenchRow>>([comparison.Run(options.Iterations, options.Warmup)]));

using var node = new BenchNode(Directory.CreateTempSubdirectory("plexus-bench-").FullName);
await Measure("version", "harness-spawn", "the bench's spawner", "ms",
    () => Task.FromResult<IEnumerable<BenchRow>>([HarnessScenario.Run(options.Iterations, options.Warmup)]));
await Compare("version", VersionScenario.Plexus(paths));
await Compare("version", VersionScenario.Shim(paths));
if (BenchNode.InsideNodeNamespace)
{
    await Measure("version", "version-busy-node", "VERSION on a node with many mounts", "ms", () =>
    {
        // About what a node running 100 pods has: each pod adds its network namespace, shm and service-account
        // token mounts, and a root filesystem per container.
        using var mounts = BusyMountTable.Create(extraMounts: 500);
        return Task.FromResult<IEnumerable<BenchRow>>(
        [
            VersionScenario.OnBusyNode("version-busy-node", paths.Plexus, paths, mounts).Run(options.Iterations, options.Warmup),
            VersionScenario.OnBusyNode("version-shim-busy-node", paths.Shim, paths, mounts).Run(options.Iterations, options.Warmup),
        ]);
    });
}

if (!BenchNode.InsideNodeNamespace)
{
    notes.Add("busy-node VERSION, ADD/DEL, API-request and throughput rows skipped: run through bench/run.sh (as root) so they run inside a throwaway node namespace");
}
else if (options.Wants("add-del") || options.Wants("api-requests") || options.Wants("throughput"))
{
    await using var cluster = await BenchCluster.StartAsync(node);
    await Measure("add-del", "tls-connect", "one TLS client connection", "ms CPU",
        () => Task.FromResult<IEnumerable<BenchRow>>([TlsConnectScenario.Run(cluster, node, options.Iterations, options.Warmup, notes)]));
    await Compare("add-del", AddDelScenarios.StaticDelegate(paths, node));
    await Compare("add-del", AddDelScenarios.PodWithoutNads(paths, node, cluster));
    await Compare("add-del", AddDelScenarios.PodWithTwoNads(paths, node, cluster));
    await using var daemon = BenchDaemon.Start(paths, node.WorkDir, cluster.Kubeconfig, BenchCluster.NodeName, options.DaemonConfig);
    await daemon.WaitCachesAsync(BenchCluster.PodCount, 2, TimeSpan.FromMinutes(1), cancel.Token);
    await Compare("add-del", AddDelScenarios.PodWithTwoNadsThick(paths, node, cluster, daemon));
    await Compare("add-del", AddDelScenarios.ThickVsThin(paths, node, cluster, daemon));
    var pods = new PodCycles(paths, node, cluster, daemon);
    foreach (var (cycles, thick) in new[] { (pods, false), (new PodCycles(paths, node, cluster, daemon, annotationsFromRuntime: false), false), (pods, true) })
    {
        await Measure("api-requests", $"api-requests-{(thick ? "thick" : "thin")}", "API requests per ADD", "requests",
            () => Task.FromResult<IEnumerable<BenchRow>>([ApiRequestScenario.Run(cycles, node, thick, notes)]));
    }
    async Task<string?> Scrape()
    {
        try
        {
            return await daemon.ScrapeAsync(cancel.Token);
        }
        catch (HttpRequestException e)
        {
            notes.Add($"plexusd metrics unavailable ({e.Message}); {daemon.Describe()}");
            return null;
        }
    }
    var metricsBefore = await Scrape();
    foreach (var concurrency in new[] { 1, 4, 16 })
    {
        await Measure("throughput", $"throughput-{concurrency}", $"pods/s with {concurrency} pods at once", "pods/s",
            () => Task.FromResult<IEnumerable<BenchRow>>(
                ThroughputScenario.Run(pods, node, concurrency, options.ThroughputIterations, Math.Min(options.Warmup, 2), notes)));
    }
    if (options.Wants("throughput") && metricsBefore is not null && await Scrape() is { } metricsAfter)
    {
        notes.Add(DaemonProfile.Describe("the throughput rows", metricsBefore, metricsAfter));
    }
    notes.Add(options.DaemonConfig.Count == 0
        ? $"plexusd runs with its default limits ({Environment.ProcessorCount} cores here): beyond them requests queue, none was refused (a refusal fails the row)"
        : $"plexusd config overrides for this run: {options.DaemonConfig.ToJsonString()}");
}

var scale = new ScaleScenario(paths, node, notes, options.DaemonConfig);
await Measure("daemon", "daemon-idle", "plexusd without an API server", "ms", async () => [await scale.IdleAsync(cancel.Token)]);
// (pods on the node, NADs in the cluster, issue 6's RSS target in MiB where it sets one)
foreach (var (pods, nads, target) in new (int, int, double?)[]
    { (250, 1_000, 24), (250, 10_000, 30), (10_000, 1_000, 57), (1_000, 100, null), (1_000, 1_000, null), (10_000, 100, null) })
{
    await Measure("daemon", $"daemon-{pods}p-{nads}n", $"plexusd with {pods} pods and {nads} NADs", "ms",
        async () => [await scale.LoadedAsync(pods, nads, target, cancel.Token)]);
}
await Measure("agent", "agent-regen", "plexus config watch regeneration latency", "ms",
    async () => [await AgentRegenScenario.RunAsync(paths, node.WorkDir, cancel.Token)]);

Console.Write(TableRenderer.Render(run, rows, notes));
Directory.CreateDirectory(Path.GetDirectoryName(options.OutFile)!);
await File.WriteAllTextAsync(options.OutFile, JsonRenderer.Render(run, rows, notes));
Console.WriteLine($"written: {options.OutFile}");
return rows.Any(r => r.Error is not null) ? 1 : 0;
