using Plexus.Core.Ports;
using Plexus.Daemon.Caches;
using Plexus.Daemon.Metrics;

namespace Plexus.Daemon.Tests.Caches;

public sealed class CachedPortsTests
{
    private readonly DaemonMetrics _metrics = new();
    private readonly KubeCaches _caches = new();
    private readonly LivePorts _live = new();

    [Fact]
    public async Task GetPodAsync_Cached_AnswersFromMemoryWithoutApiCall()
    {
        _caches.Pods.Replace([KeyValuePair.Create(("ns1", "p"), new CachedPod("ns1", "p", "uid-1", new Dictionary<string, string> { ["a"] = "b" }))]);
        var ports = CachedPorts.Wrap(new KubernetesPorts(_live, _live), _caches, _metrics);

        var lookup = await ports.Pods.GetPodAsync(new PodRef("ns1", "p"), CancellationToken.None);

        Assert.Equal(("uid-1", "b"), (lookup.Pod!.Uid, lookup.Pod.Annotation("a")));
        Assert.Empty(_live.Calls);
    }

    [Fact]
    public async Task GetPodAsync_Miss_FallsBackToLiveGetAndCountsIt()
    {
        var ports = CachedPorts.Wrap(new KubernetesPorts(_live, _live), _caches, _metrics);

        var lookup = await ports.Pods.GetPodAsync(new PodRef("ns1", "new"), CancellationToken.None);

        Assert.False(lookup.Found);
        Assert.Equal(["get pod ns1/new"], _live.Calls);
        Assert.Equal(1, _metrics.CacheMisses.WithLabels("pods").Value);
    }

    [Fact]
    public async Task Nads_CachedAndMissing_MemoryThenLive()
    {
        _caches.Nads.Replace([KeyValuePair.Create(("ns1", "m"), new CachedNad("ns1", "m", "{}"u8.ToArray(), new Dictionary<string, string>()))]);
        var ports = CachedPorts.Wrap(new KubernetesPorts(_live, _live), _caches, _metrics);

        var cached = await ports.Definitions.GetAsync("ns1", "m", CancellationToken.None);
        var missing = await ports.Definitions.GetAsync("ns1", "x", CancellationToken.None);

        Assert.Equal("{}", cached.Definition!.Config);
        Assert.False(missing.Found);
        Assert.Equal(["get nad ns1/x"], _live.Calls);
    }

    [Fact]
    public async Task LivePods_PodCached_AsksTheApiServer()
    {
        _caches.Pods.Replace([KeyValuePair.Create(("ns1", "p"), new CachedPod("ns1", "p", "uid-1", new Dictionary<string, string>()))]);
        var ports = CachedPorts.Wrap(new KubernetesPorts(_live, _live), _caches, _metrics);

        var lookup = await ports.LivePods.GetPodAsync(new PodRef("ns1", "p"), CancellationToken.None);

        Assert.False(lookup.Found);
        Assert.Equal(["get pod ns1/p"], _live.Calls);
        Assert.Equal(0, _metrics.CacheMisses.WithLabels("pods").Value);
    }

    [Fact]
    public async Task Writes_AlwaysGoLive()
    {
        var ports = CachedPorts.Wrap(new KubernetesPorts(_live, _live), _caches, _metrics);

        await ports.Pods.WriteNetworkStatusAsync(new PodRef("ns1", "p"), null, "[]", CancellationToken.None);
        await ports.Pods.RecordEventAsync(new PodRef("ns1", "p"), "uid", PodEvent.NoNetworkFound("x"), CancellationToken.None);

        Assert.Equal(["status ns1/p", "event ns1/p NoNetworkFound"], _live.Calls);
    }

    private sealed class LivePorts : IPodClient, INetworkAttachmentClient
    {
        public List<string> Calls { get; } = [];

        public Task<PodLookup> GetPodAsync(PodRef pod, CancellationToken cancellationToken)
        {
            Calls.Add($"get pod {pod}");
            return Task.FromResult(PodLookup.NotFound);
        }

        public Task<StatusWriteOutcome> WriteNetworkStatusAsync(PodRef pod, string? uid, string networkStatusJson, CancellationToken cancellationToken)
        {
            Calls.Add($"status {pod}");
            return Task.FromResult(StatusWriteOutcome.Written);
        }

        public Task RecordEventAsync(PodRef pod, string? podUid, PodEvent podEvent, CancellationToken cancellationToken)
        {
            Calls.Add($"event {pod} {podEvent.Reason}");
            return Task.CompletedTask;
        }

        public Task<NadLookup> GetAsync(string @namespace, string name, CancellationToken cancellationToken)
        {
            Calls.Add($"get nad {@namespace}/{name}");
            return Task.FromResult(NadLookup.NotFound);
        }
    }
}
