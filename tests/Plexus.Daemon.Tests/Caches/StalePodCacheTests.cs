using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Plexus.Cni;
using Plexus.Core.Service;
using Plexus.Daemon.Caches;
using Plexus.Daemon.Protocol.Shim;
using Plexus.Daemon.Tests.Testing;
using Plexus.Kube;
using Plexus.Linux.Netns;
using Plexus.Testing;

namespace Plexus.Daemon.Tests.Caches;

/// <summary>
/// plexusd (the real composition, against the API simulator) when its pod cache lags behind the API server: a pod
/// replaced under the same name while the cache still holds the one the runtime names. Recorded delegates; the pod
/// namespace is an empty throwaway one (the meta-plugin lists its links before each delegate), hence root.
/// </summary>
[Trait("Category", "Root")]
public sealed class StalePodCacheTests : IAsyncLifetime
{
    private readonly string _netns = TestNetns.NewName();
    private readonly RecordingPluginExecutor _executor = new RecordingPluginExecutor().WithPlugin("bridge");
    private SimulatedCluster _cluster = null!;
    private DaemonServer _server = null!;

    public async Task InitializeAsync()
    {
        _cluster = await SimulatedCluster.StartAsync("plexusd-stale-");
        _server = ThickDaemon.Build(_cluster.DaemonSettings(metrics: false), _ => null, new MetaPluginHost
        {
            Executor = _executor,
            ConnectKubernetes = kubeconfig => KubeConnection.TryCreate(kubeconfig, _ => null, TimeProvider.System),
        });
        await _server.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _cluster.DisposeAsync();
        if (NetnsManager.Exists(_netns))
        {
            NetnsManager.Delete(_netns);
        }
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Add_PodReplacedWhileTheCacheHoldsTheOldOne_Code11NamingThePodUndoneNothingOnTheNewPod(bool runtimePassesAnnotations)
    {
        await CreatePodNetnsAsync();
        var oldUid = await CachedPodAsync("web");
        await StopPodWatchAsync();
        _cluster.Sim.Delete("v1", "Pod", "ns1", "web");
        var newUid = Uid(_cluster.Sim.CreatePod("ns1", "web", SimulatedCluster.NodeName));
        _cluster.Sim.Requests.Reset();

        var output = await AddAsync("web", oldUid, runtimePassesAnnotations);

        var error = Json(output);
        Assert.Equal(CniErrorCode.TryAgainLater, (int)error["code"]!);
        Assert.Equal($"expected pod UID \"{oldUid}\" but got \"{newUid}\" from Kube API", (string)error["msg"]!);
        Assert.Contains("every attachment was removed again", (string)error["details"]!);
        Assert.Contains("pod ns1/web was replaced by a pod of the same name", (string)error["details"]!);
        Assert.Equal(["bridge ADD", "bridge DEL"], _executor.CallSummary.Where(c => !c.EndsWith("VERSION", StringComparison.Ordinal)));
        Assert.False(File.Exists(Path.Combine(_cluster.Dir, "cni", "c1")), "the delegate cache of the undone ADD is left");
        Assert.Null(_cluster.Sim.Get("v1", "Pod", "ns1", "web")!["metadata"]!["annotations"]?["k8s.v1.cni.cncf.io/network-status"]);
        Assert.Empty(_cluster.Sim.List("v1", "Event", "ns1"));
        // The refused write, then the pod read from the API server (the cache still says the old UID).
        Assert.Equal((1, 1), (_cluster.Sim.Requests.Count("patch", "pods/status"), _cluster.Sim.Requests.Count("get", "pods")));
    }

    [SkippableFact]
    public async Task Add_CacheHoldsTheReplacedPodRuntimeNamesTheNewOne_OneLiveGetThenAttachedToTheNewPod()
    {
        await CreatePodNetnsAsync();
        await CachedPodAsync("web");
        await StopPodWatchAsync();
        _cluster.Sim.Delete("v1", "Pod", "ns1", "web");
        var newUid = Uid(_cluster.Sim.CreatePod("ns1", "web", SimulatedCluster.NodeName));
        _cluster.Sim.Requests.Reset();

        var output = await AddAsync("web", newUid, runtimePassesAnnotations: false);

        Assert.Equal(0, output.ExitCode);
        Assert.Equal(["bridge ADD"], _executor.CallSummary.Where(c => !c.EndsWith("VERSION", StringComparison.Ordinal)));
        Assert.NotNull(_cluster.Sim.Get("v1", "Pod", "ns1", "web")!["metadata"]!["annotations"]?["k8s.v1.cni.cncf.io/network-status"]);
        // The cache's pod of the old UID, then the pod read from the API server, which is the runtime's.
        Assert.Equal((1, 1), (_cluster.Sim.Requests.Count("get", "pods"), _cluster.Sim.Requests.Count("patch", "pods/status")));
    }

    [SkippableFact]
    public async Task Add_CacheAndApiServerBothHoldAnotherPod_Code11FromTheLiveGetNoDelegate()
    {
        await CreatePodNetnsAsync();
        var cachedUid = await CachedPodAsync("web");
        _cluster.Sim.Requests.Reset();

        var output = await AddAsync("web", "11111111-2222-3333-4444-555555555555", runtimePassesAnnotations: false);

        var error = Json(output);
        Assert.Equal(CniErrorCode.TryAgainLater, (int)error["code"]!);
        Assert.Equal($"expected pod UID \"11111111-2222-3333-4444-555555555555\" but got \"{cachedUid}\" from Kube API", (string)error["msg"]!);
        Assert.Contains("its UID read from the API server itself, not a cache", (string)error["details"]!);
        Assert.DoesNotContain(_executor.CallSummary, c => c.EndsWith("ADD", StringComparison.Ordinal));
        Assert.Equal((1, 0), (_cluster.Sim.Requests.Count("get", "pods"), _cluster.Sim.Requests.Count("patch", "pods/status")));
    }

    [SkippableFact]
    public async Task Add_CacheUpToDate_StatusWrittenWithTheCacheAndTwoRequests()
    {
        await CreatePodNetnsAsync();
        var uid = await CachedPodAsync("web");
        _cluster.Sim.Requests.Reset();

        var output = await AddAsync("web", uid, runtimePassesAnnotations: false);

        Assert.Equal(0, output.ExitCode);
        Assert.NotNull(_cluster.Sim.Get("v1", "Pod", "ns1", "web")!["metadata"]!["annotations"]?["k8s.v1.cni.cncf.io/network-status"]);
        // What the bench counts for a thick ADD (2 requests): no pod GET, the cache answers it.
        Assert.Equal((0, 1, 1), (_cluster.Sim.Requests.Count("get", "pods"), _cluster.Sim.Requests.Count("patch", "pods/status"), _cluster.Sim.Requests.Count("create", "events")));
    }

    private async Task CreatePodNetnsAsync()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root for the pod's network namespace (the meta-plugin lists its links before each delegate)");
        await NetnsManager.CreateAsync(_netns, CancellationToken.None);
    }

    /// <summary>Creates the pod on this node and waits until plexusd's cache holds it; its UID.</summary>
    private async Task<string> CachedPodAsync(string name)
    {
        var uid = Uid(_cluster.Sim.CreatePod("ns1", name, SimulatedCluster.NodeName));
        var pods = _server.Services.GetRequiredService<KubeCaches>().Pods;
        var waited = Stopwatch.StartNew();
        while (pods.Get("ns1", name)?.Uid != uid)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), "plexusd's pod cache did not get the pod");
            await Task.Delay(20);
        }
        return uid;
    }

    /// <summary>The pod cache's list+watch stops: the cache keeps what it holds, as when its watch lags.</summary>
    private async Task StopPodWatchAsync()
    {
        var watch = _server.Services.GetServices<IHostedService>().OfType<BackgroundService>()
            .Single(s => s.ToString() == "the pods cache (list+watch)");
        await watch.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
    }

    private Task<ShimOutput> AddAsync(string pod, string uid, bool runtimePassesAnnotations)
    {
        var config = new JsonObject
        {
            ["cniVersion"] = "1.0.0",
            ["name"] = "plexus",
            ["type"] = "plexus-shim",
            ["daemonSocketDir"] = Path.Combine(_cluster.Dir, "run"),
            ["kubeconfig"] = _cluster.Kubeconfig,
            ["cniDir"] = Path.Combine(_cluster.Dir, "cni"),
            ["delegates"] = new JsonArray(new JsonObject { ["cniVersion"] = "1.0.0", ["name"] = "cbr0", ["type"] = "bridge" }),
        };
        if (runtimePassesAnnotations)
        {
            config["runtimeConfig"] = new JsonObject { ["io.kubernetes.cri.pod-annotations"] = new JsonObject() };
        }
        var env = new Dictionary<string, string>
        {
            ["CNI_COMMAND"] = "ADD",
            ["CNI_CONTAINERID"] = "c1",
            ["CNI_NETNS"] = NetnsManager.PathOf(_netns),
            ["CNI_IFNAME"] = "eth0",
            ["CNI_PATH"] = RecordingPluginExecutor.BinDir,
            ["CNI_ARGS"] = $"IgnoreUnknown=1;K8S_POD_NAMESPACE=ns1;K8S_POD_NAME={pod};K8S_POD_UID={uid}",
        };
        return ShimRunner.RunAsync(env, Encoding.UTF8.GetBytes(config.ToJsonString()), CancellationToken.None);
    }

    private static string Uid(JsonObject pod) => (string)pod["metadata"]!["uid"]!;

    private static JsonObject Json(ShimOutput output) => JsonNode.Parse(output.Stdout)!.AsObject();
}
