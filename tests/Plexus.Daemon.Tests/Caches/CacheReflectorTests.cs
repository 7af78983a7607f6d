using Microsoft.Extensions.Logging.Abstractions;
using Plexus.Daemon.Caches;
using Plexus.Daemon.Metrics;
using Plexus.Daemon.Tests.Testing;
using Plexus.Kube;
using Plexus.KubeSim;
using Plexus.Testing;

namespace Plexus.Daemon.Tests.Caches;

/// <summary>The list+watch caches against the API simulator: initial list, live updates, dropped and expired watches.</summary>
public sealed class CacheReflectorTests : IAsyncLifetime
{
    private const string Node = "node-a";
    private readonly DaemonMetrics _metrics = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("plexusd-reflector-");
    private KubeSimServer? _ownSim;
    private HttpClient? _ownHttp;
    private KubeSimServer _sim = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _sim = await KubeSimServer.StartAsync(new KubeSimOptions { HistoryLimit = 5 });
        _http = _sim.CreateHttpClient();
        _sim.CreateNamespace("ns1");
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        _http.Dispose();
        await _sim.DisposeAsync();
        _ownHttp?.Dispose();
        if (_ownSim is not null)
        {
            await _ownSim.DisposeAsync();
        }
        _dir.Delete(recursive: true);
    }

    [Fact]
    public async Task Pods_ListThenWatch_KeepsOnlyThisNodesPodsWithAnnotations()
    {
        _sim.CreatePod("ns1", "here", Node, new Dictionary<string, string> { ["k8s.v1.cni.cncf.io/networks"] = "macvlan" });
        _sim.CreatePod("ns1", "elsewhere", "node-b");
        var cache = new ResourceCache<CachedPod>();
        await StartPodReflectorAsync(cache);

        await cache.Synced.WaitAsync(TimeSpan.FromSeconds(30));
        var listed = cache.Get("ns1", "here");
        _sim.CreatePod("ns1", "later", Node);
        _sim.Delete("v1", "Pod", "ns1", "here");
        await WaitUntilAsync(() => cache.Get("ns1", "later") is not null && cache.Get("ns1", "here") is null);

        Assert.Equal("macvlan", listed!.Annotations["k8s.v1.cni.cncf.io/networks"]);
        Assert.False(string.IsNullOrEmpty(listed.Uid));
        Assert.Null(cache.Get("ns1", "elsewhere"));
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public async Task Pods_BookmarksOnTheWatch_CacheKeepsFollowing()
    {
        await using var sim = await KubeSimServer.StartAsync(new KubeSimOptions { BookmarkInterval = TimeSpan.FromMilliseconds(50) });
        sim.CreateNamespace("ns1");
        using var http = sim.CreateHttpClient();
        var cache = new ResourceCache<CachedPod>();
        await StartPodReflectorAsync(cache, new SimKubeApi(http));
        await cache.Synced.WaitAsync(TimeSpan.FromSeconds(30));

        await Task.Delay(TimeSpan.FromMilliseconds(300));
        sim.CreatePod("ns1", "after-bookmarks", Node);

        await WaitUntilAsync(() => cache.Get("ns1", "after-bookmarks") is not null);
        Assert.Equal(0, Restarts("error"));
    }

    [Fact]
    public async Task Pods_WatchConnectionGoesSilent_RestartedAfterTheIdleTimeoutAndCatchesUpWithAReplacedPod()
    {
        await using var proxy = new ConnectProxy();
        var kubeconfig = _sim.WriteKubeconfig(Path.Combine(_dir.FullName, "kubeconfig"), proxyUrl: $"http://127.0.0.1:{proxy.Port}");
        using var raw = KubeRawApi.TryCreate(kubeconfig, _ => null)!;
        var oldUid = Uid(_sim.CreatePod("ns1", "p1", Node));
        var time = new ManualTimeProvider();
        var cache = new ResourceCache<CachedPod>();
        await StartPodReflectorAsync(cache, new KubeRawApiAdapter(raw), time);
        await cache.Synced.WaitAsync(TimeSpan.FromSeconds(30));
        await WaitUntilAsync(() => _sim.ActiveWatches > 0);

        // The watch's connection turns into a black hole; the pod is force-deleted and created again under its name.
        proxy.FreezeTunnels();
        _sim.Delete("v1", "Pod", "ns1", "p1");
        var newUid = Uid(_sim.CreatePod("ns1", "p1", Node));
        time.Advance(KubeCaches.WatchIdleTimeout);

        await WaitUntilAsync(() => cache.Get("ns1", "p1")?.Uid == newUid);
        Assert.NotEqual(oldUid, newUid);
        Assert.Equal((1, 0), (Restarts("idle"), Restarts("error")));
        Assert.Equal(2, proxy.Tunnels);
    }

    [Fact]
    public async Task Pods_NothingFromTheServer_LastEventAgeGrowsUntilAnEvent()
    {
        // No bookmark comes within the test: only the events it causes are heard.
        var (sim, time, cache) = await SyncedOnVirtualTimeAsync(bookmarkInterval: TimeSpan.FromHours(1));

        time.Advance(TimeSpan.FromSeconds(42));
        var silent = LastEventAge();
        sim.CreatePod("ns1", "event", Node);
        await WaitUntilAsync(() => cache.Get("ns1", "event") is not null);

        Assert.Equal((42, 0), (silent, LastEventAge()));
        Assert.Equal(0, Restarts("idle"));
    }

    [Fact]
    public async Task Pods_BookmarksOnAnIdleWatch_KeepItAliveWithoutIdleRestarts()
    {
        var (_, time, _) = await SyncedOnVirtualTimeAsync(bookmarkInterval: TimeSpan.FromMilliseconds(50));

        // Each step alone stays under the idle timeout, together they pass it several times: only the bookmarks between count.
        for (var step = 0; step < 3; step++)
        {
            time.Advance(KubeCaches.WatchIdleTimeout - TimeSpan.FromSeconds(1));
            await WaitUntilAsync(() => LastEventAge() == 0);
        }

        Assert.Equal(0, Restarts("idle"));
    }

    [Fact]
    public async Task Pods_ManyAnnotations_KeepsOnlyThoseTheMetaPluginReads()
    {
        _sim.CreatePod("ns1", "listed", Node, Annotated());
        var cache = new ResourceCache<CachedPod>();
        await StartPodReflectorAsync(cache);
        await cache.Synced.WaitAsync(TimeSpan.FromSeconds(30));

        _sim.CreatePod("ns1", "watched", Node, Annotated());
        await WaitUntilAsync(() => cache.Get("ns1", "watched") is not null);

        foreach (var name in new[] { "listed", "watched" })
        {
            var annotations = cache.Get("ns1", name)!.Annotations;
            Assert.Equal(["k8s.v1.cni.cncf.io/networks", "kubernetes.io/config.source", "v1.multus-cni.io/default-network"], annotations.Keys.Order().ToArray());
            Assert.Equal("a,b@net2", annotations["k8s.v1.cni.cncf.io/networks"]);
        }
    }

    private static Dictionary<string, string> Annotated() => new()
    {
        ["k8s.v1.cni.cncf.io/networks"] = "a,b@net2",
        ["v1.multus-cni.io/default-network"] = "kube-system/alt",
        ["kubernetes.io/config.source"] = "api",
        ["kubectl.kubernetes.io/last-applied-configuration"] = new string('x', 10_000),
        ["k8s.v1.cni.cncf.io/network-status"] = "[]",
    };

    [Fact]
    public async Task Pods_WatchDroppedBySimulator_CacheRecoversAndCountsRestart()
    {
        var cache = new ResourceCache<CachedPod>();
        await StartPodReflectorAsync(cache);
        await cache.Synced.WaitAsync(TimeSpan.FromSeconds(30));
        await WaitUntilAsync(() => _sim.ActiveWatches > 0);

        _sim.DropWatches();
        _sim.CreatePod("ns1", "after-drop", Node);

        await WaitUntilAsync(() => cache.Get("ns1", "after-drop") is not null);
        Assert.True(Restarts("closed") + Restarts("error") >= 1);
    }

    [Fact]
    public async Task Pods_WatchEventWithoutObject_WatchRestartsAndCacheKeepsFollowing()
    {
        var api = new FirstRequestReplaced(new SimKubeApi(_http), FirstRequestReplaced.IsWatch, FirstRequestReplaced.Body("{\"type\":\"ADDED\"}\n"));
        var cache = new ResourceCache<CachedPod>();
        var reflector = await StartPodReflectorAsync(cache, api);
        await cache.Synced.WaitAsync(TimeSpan.FromSeconds(30));

        await WaitUntilAsync(() => Restarts("error") >= 1);
        _sim.CreatePod("ns1", "after-bad-event", Node);

        await WaitUntilAsync(() => cache.Get("ns1", "after-bad-event") is not null);
        Assert.True(api.Replaced);
        Assert.False(reflector.ExecuteTask!.IsCompleted);
    }

    [Theory]
    [InlineData("an answer without items", "200")]
    [InlineData("a timeout", "timeout")]
    public async Task Pods_FirstListFails_ListedAgainUntilARealOne(string failure, string countedAs)
    {
        _sim.CreatePod("ns1", "listed", Node);
        var api = new FirstRequestReplaced(new SimKubeApi(_http), FirstRequestReplaced.IsList, failure == "a timeout"
            ? FirstRequestReplaced.TimedOut
            : FirstRequestReplaced.Body("""{"kind":"PodList","metadata":{"resourceVersion":"1"}}"""));
        var cache = new ResourceCache<CachedPod>();
        var reflector = await StartPodReflectorAsync(cache, api);

        await cache.Synced.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(api.Replaced);
        Assert.NotNull(cache.Get("ns1", "listed"));
        Assert.True(Restarts("error") >= 1);
        Assert.True(Metric("plexus_kube_api_requests_total", ("verb", "list"), ("resource", "pods"), ("code", countedAs)) >= 1);
        Assert.False(reflector.ExecuteTask!.IsCompleted);
    }

    [Fact]
    public async Task Pods_ResumeVersionCompacted_RelistsAndCatchesUp()
    {
        _sim.CreatePod("ns1", "old", Node);
        var cache = new ResourceCache<CachedPod>();
        await StartPodReflectorAsync(cache);
        await cache.Synced.WaitAsync(TimeSpan.FromSeconds(30));

        // While the daemon cannot reach the server, more changes happen than the server's history holds.
        await _sim.RefuseConnectionsAsync();
        for (var i = 0; i < 10; i++)
        {
            _sim.CreatePod("ns1", "burst-" + i, Node);
        }
        _sim.Delete("v1", "Pod", "ns1", "old");
        await _sim.AcceptConnectionsAsync();

        await WaitUntilAsync(() => cache.Count == 10 && cache.Get("ns1", "old") is null);
        await WaitUntilAsync(() => Restarts("expired") >= 1);
    }

    [Fact]
    public async Task Nads_ListThenWatch_KeepsConfigAndAnnotations()
    {
        _sim.CreateNetworkAttachmentDefinition("ns1", "macvlan", """{"cniVersion":"0.4.0","type":"macvlan"}""",
            new Dictionary<string, string> { ["k8s.v1.cni.cncf.io/resourceName"] = "intel.com/sriov" });
        var cache = new ResourceCache<CachedNad>();
        var reflector = KubeCaches.NadReflector(cache, new ListWatchClient(new SimKubeApi(_http), _metrics), _metrics,
            TimeProvider.System, NullLoggerFactory.Instance);
        await reflector.StartAsync(_stop.Token);

        await cache.Synced.WaitAsync(TimeSpan.FromSeconds(30));
        _sim.Patch(KnownManifests.NadApiVersion, KnownManifests.NadKind, "ns1", "macvlan", """{"spec":{"config":"{\"type\":\"bridge\"}"}}""");
        await WaitUntilAsync(() => cache.Get("ns1", "macvlan")?.Config == """{"type":"bridge"}""");

        Assert.Equal("intel.com/sriov", cache.Get("ns1", "macvlan")!.Annotations["k8s.v1.cni.cncf.io/resourceName"]);
        var metrics = PrometheusText.Parse(await ExportAsync());
        Assert.Equal(1, metrics.Value("plexus_cache_objects", ("cache", "network-attachment-definitions")));
        Assert.True(metrics.Value("plexus_kube_api_requests_total", ("verb", "list"), ("resource", "network-attachment-definitions"), ("code", "200")) >= 1);
    }

    [Fact]
    public async Task Pods_ThroughKubeconfigAndPlexusKubeClient_ListsAndWatches()
    {
        await ListAndWatchThroughKubeconfigAsync(proxyUrl: null);
    }

    [Theory]
    [InlineData("http")]
    [InlineData("socks5")]
    public async Task Pods_KubeconfigWithProxyUrl_ListsAndWatchesThroughTheProxy(string scheme)
    {
        await using var proxy = Plexus.Testing.LoopbackProxy.For(scheme);

        await ListAndWatchThroughKubeconfigAsync($"{scheme}://127.0.0.1:{proxy.Port}");

        Assert.True(proxy.Tunnels >= 1);
        Assert.All(proxy.Targets, target => Assert.Equal($"127.0.0.1:{_sim.Port}", target));
    }

    // With credentials (RFC 1929), and without the proxy-url the same running proxy is left alone.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Pods_KubeconfigWithSocks5ProxyUrlOrNone_ThroughTheProxyOnlyWhenNamed(bool named)
    {
        await using var proxy = new Plexus.Testing.Socks5Proxy { RequiredCredentials = ("plexusd", "s3cret:@") };

        await ListAndWatchThroughKubeconfigAsync(named ? $"socks5://plexusd:s3cret%3A%40@127.0.0.1:{proxy.Port}" : null);

        Assert.Equal(named, proxy.Tunnels >= 1);
        Assert.Equal(named, proxy.Authentications >= 1);
    }

    // plexusd's own transport (KubeRawApi) from a kubeconfig, with the cluster's proxy-url when given.
    private async Task ListAndWatchThroughKubeconfigAsync(string? proxyUrl)
    {
        var kubeconfig = _sim.WriteKubeconfig(Path.Combine(Path.GetTempPath(), "plexusd-kubeconfig-" + Guid.NewGuid().ToString("N")), proxyUrl: proxyUrl);
        try
        {
            using var raw = Plexus.Kube.KubeRawApi.TryCreate(kubeconfig, _ => null)!;
            _sim.CreatePod("ns1", "listed", Node);
            var cache = new ResourceCache<CachedPod>();
            await StartPodReflectorAsync(cache, new KubeRawApiAdapter(raw));

            await cache.Synced.WaitAsync(TimeSpan.FromSeconds(30));
            _sim.CreatePod("ns1", "watched", Node);

            await WaitUntilAsync(() => cache.Get("ns1", "watched") is not null);
            Assert.NotNull(cache.Get("ns1", "listed"));
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }

    private async Task<Microsoft.Extensions.Hosting.BackgroundService> StartPodReflectorAsync(ResourceCache<CachedPod> cache, IKubeApi? api = null,
        TimeProvider? time = null)
    {
        var reflector = KubeCaches.PodReflector(Node, cache, new ListWatchClient(api ?? new SimKubeApi(_http), _metrics), _metrics,
            time ?? TimeProvider.System, NullLoggerFactory.Instance);
        await reflector.StartAsync(_stop.Token);
        return reflector;
    }

    /// <summary>A simulator of the test's own, bookmarking idle watches every <paramref name="bookmarkInterval"/>, and a synced pod cache on virtual time.</summary>
    private async Task<(KubeSimServer Sim, ManualTimeProvider Time, ResourceCache<CachedPod> Cache)> SyncedOnVirtualTimeAsync(TimeSpan bookmarkInterval)
    {
        _ownSim = await KubeSimServer.StartAsync(new KubeSimOptions { BookmarkInterval = bookmarkInterval });
        _ownSim.CreateNamespace("ns1");
        _ownHttp = _ownSim.CreateHttpClient();
        var time = new ManualTimeProvider();
        var cache = new ResourceCache<CachedPod>();
        await StartPodReflectorAsync(cache, new SimKubeApi(_ownHttp), time);
        await cache.Synced.WaitAsync(TimeSpan.FromSeconds(30));
        return (_ownSim, time, cache);
    }

    private static string Uid(System.Text.Json.Nodes.JsonObject pod) => (string)pod["metadata"]!["uid"]!;

    private double LastEventAge() => Metric("plexus_cache_last_event_age_seconds", ("cache", "pods"));

    private double Restarts(string reason) => Metric("plexus_cache_watch_restarts_total", ("cache", "pods"), ("reason", reason));

    private double Metric(string name, params (string Key, string Value)[] labels) =>
        PrometheusText.Parse(ExportAsync().GetAwaiter().GetResult()).Value(name, labels);

    private async Task<string> ExportAsync()
    {
        using var stream = new MemoryStream();
        await _metrics.Registry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition())
        {
            await Task.Delay(50, limit.Token);
        }
    }
}
