using System.Text;
using System.Text.Json.Nodes;
using Plexus.Core.Service;
using Plexus.Daemon.Config;
using Plexus.Daemon.Protocol.Shim;
using Plexus.Daemon.Tests.Testing;
using Plexus.Kube;
using Plexus.Linux.Netns;
using Plexus.Testing;

namespace Plexus.Daemon.Tests;

/// <summary>
/// plexusd's metrics as scraped after real CNI requests through the shim and the meta-plugin against the API simulator
/// (the pod namespace is an empty throwaway one, as the meta-plugin lists its links: root). Every API request appears in
/// <c>plexus_kube_api_requests_total</c> and the latency histogram: the caches' lists and watches, and the live client's
/// GETs on cache misses, status PATCHes and event POSTs. <c>plexus_delegate_duration_seconds</c> has one observation per
/// attachment whatever its chain's length, labelled with the NAD's namespace/name.
/// </summary>
[Trait("Category", "Root")]
public sealed class ScrapedMetricsTests : IAsyncLifetime
{
    private readonly string _netns = TestNetns.NewName();
    private SimulatedCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await SimulatedCluster.StartAsync("plexusd-metrics-");

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        if (NetnsManager.Exists(_netns))
        {
            NetnsManager.Delete(_netns);
        }
    }

    [SkippableFact]
    public async Task ApiRequests_LiveGetsWritesAndFailures_CountedWithVerbResourceAndCode()
    {
        var netns = await CreatePodNetnsAsync();
        var bin = Directory.CreateDirectory(Path.Combine(_cluster.Dir, "bin")).FullName;
        var plugin = Path.Combine(bin, "fake");
        await File.WriteAllTextAsync(plugin, """
            #!/bin/sh
            cat >/dev/null
            case "$CNI_COMMAND" in
            ADD) echo '{"cniVersion":"0.4.0","interfaces":[{"name":"eth0"}],"ips":[{"version":"4","address":"10.1.0.5/24","interface":0}]}' ;;
            VERSION) echo '{"cniVersion":"0.4.0","supportedVersions":["0.3.0","0.3.1","0.4.0"]}' ;;
            esac
            """.Replace("\r", "", StringComparison.Ordinal));
        File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var settings = _cluster.DaemonSettings();
        await using var server = ThickDaemon.Build(settings, _ => null);
        await server.StartAsync(CancellationToken.None);
        // On another node, so never in this daemon's pod cache: every lookup is a live GET.
        _cluster.Sim.CreatePod("ns1", "elsewhere", nodeName: "node-b");
        _cluster.Sim.CreatePod("ns1", "wants-missing", nodeName: "node-b",
            annotations: new Dictionary<string, string> { ["k8s.v1.cni.cncf.io/networks"] = "missing" });
        var config = Encoding.UTF8.GetBytes($$"""
            {"cniVersion":"0.4.0","name":"plexus","type":"plexus-shim","daemonSocketDir":"{{settings.Server.SocketDir}}",
             "kubeconfig":"{{_cluster.Kubeconfig}}","binDir":"{{bin}}","cniDir":"{{_cluster.Dir}}/cni",
             "delegates":[{"cniVersion":"0.4.0","name":"cluster","type":"fake"}]}
            """);

        var added = await AddAsync(config, netns, "elsewhere");
        var missingNad = await AddAsync(config, netns, "wants-missing");
        await AddAsync(config, netns, "ghost");
        await _cluster.Sim.RefuseConnectionsAsync();
        var unreachable = await AddAsync(config, netns, "elsewhere", "c-unreachable");

        Assert.True(added.ExitCode == 0, Encoding.UTF8.GetString(added.Stdout));
        Assert.Equal(7, (int)TestDaemon.Json(missingNad)["code"]!);
        Assert.NotEqual(0, unreachable.ExitCode);
        using var http = new HttpClient();
        var metrics = PrometheusText.Parse(await http.GetStringAsync(server.MetricsUri));
        double Requests(string verb, string resource, string code) =>
            metrics.Value("plexus_kube_api_requests_total", ("verb", verb), ("resource", resource), ("code", code));
        // elsewhere and wants-missing, then ghost (404), then elsewhere with the API server gone.
        Assert.Equal(2, Requests("get", "pods", "200"));
        Assert.Equal(1, Requests("get", "pods", "404"));
        Assert.Equal(1, Requests("get", "pods", "transport_error"));
        Assert.Equal(1, Requests("get", "network-attachment-definitions", "404"));
        Assert.True(Requests("patch", "pods/status", "200") >= 1, "the network-status PATCH of the successful ADD is not counted");
        // AddedInterface for "elsewhere", NoNetworkFound for "wants-missing".
        Assert.Equal(2, Requests("create", "events", "201"));
        Assert.True(Requests("list", "pods", "200") >= 1, "the pod cache's list is no longer counted");
        Assert.True(metrics.Value("plexus_kube_api_request_duration_seconds_count", ("verb", "get"), ("resource", "pods")) >= 4);
        Assert.True(metrics.Value("plexus_kube_api_request_duration_seconds_count", ("verb", "create"), ("resource", "events")) >= 2);
    }

    [SkippableFact]
    public async Task DelegateDuration_AddThenDelOfAThreePluginClusterNetworkAndTwoNadsOfOneConfName_OncePerAttachmentByNadKey()
    {
        var executor = new RecordingPluginExecutor().WithPlugin("bridge").WithPlugin("portmap").WithPlugin("tuning").WithPlugin("macvlan");
        var netns = await CreatePodNetnsAsync();
        _cluster.Sim.CreateNamespace("t1");
        _cluster.Sim.CreateNamespace("t2");
        // Two NADs whose configs carry the same name in different namespaces.
        _cluster.Sim.CreateNetworkAttachmentDefinition("t1", "net1", """{"cniVersion":"1.0.0","name":"net1","type":"macvlan"}""");
        _cluster.Sim.CreateNetworkAttachmentDefinition("t2", "net1", """{"cniVersion":"1.0.0","name":"net1","type":"macvlan"}""");
        _cluster.Sim.CreatePod("t1", "p1", "node-b", new Dictionary<string, string> { ["k8s.v1.cni.cncf.io/networks"] = "net1,t2/net1" });
        var settings = _cluster.DaemonSettings();
        await using var server = ThickDaemon.Build(settings, _ => null, new MetaPluginHost
        {
            Executor = executor,
            ConnectKubernetes = path => KubeConnection.TryCreate(path, _ => null, TimeProvider.System),
        });
        await server.StartAsync(CancellationToken.None);

        var added = await ShimAsync("ADD", settings, netns);
        var deleted = await ShimAsync("DEL", settings, netns);

        Assert.True(added.ExitCode == 0, Encoding.UTF8.GetString(added.Stdout));
        Assert.True(deleted.ExitCode == 0, Encoding.UTF8.GetString(deleted.Stdout));
        Assert.Equal(10, executor.CallSummary.Count(c => c.EndsWith(" ADD", StringComparison.Ordinal) || c.EndsWith(" DEL", StringComparison.Ordinal)));
        using var http = new HttpClient();
        var metrics = PrometheusText.Parse(await http.GetStringAsync(server.MetricsUri));
        var observed = metrics.Where(s => s.Name == "plexus_delegate_duration_seconds_count")
            .Select(s => (s.Labels["verb"], s.Labels["network"], s.Value)).Order().ToArray();
        Assert.Equal(
        [
            ("ADD", "primary", 1), ("ADD", "t1/net1", 1), ("ADD", "t2/net1", 1),
            ("DEL", "primary", 1), ("DEL", "t1/net1", 1), ("DEL", "t2/net1", 1),
        ], observed);
    }

    private Task<ShimOutput> ShimAsync(string command, DaemonSettings settings, string netns)
    {
        var config = new JsonObject
        {
            ["cniVersion"] = "1.0.0",
            ["name"] = "plexus",
            ["type"] = "plexus-shim",
            ["daemonSocketDir"] = settings.Server.SocketDir,
            ["kubeconfig"] = _cluster.Kubeconfig,
            ["binDir"] = RecordingPluginExecutor.BinDir,
            ["cniDir"] = Path.Combine(_cluster.Dir, "cni"),
            ["delegates"] = new JsonArray(JsonNode.Parse("""
                {"cniVersion":"1.0.0","name":"primary","plugins":[{"type":"bridge"},{"type":"portmap"},{"type":"tuning"}]}
                """)),
        };
        var env = TestDaemon.Env(command);
        env["CNI_NETNS"] = netns;
        env["CNI_PATH"] = RecordingPluginExecutor.BinDir;
        env["CNI_ARGS"] = "IgnoreUnknown=1;K8S_POD_NAMESPACE=t1;K8S_POD_NAME=p1";
        return ShimRunner.RunAsync(env, Encoding.UTF8.GetBytes(config.ToJsonString()), CancellationToken.None);
    }

    private async Task<string> CreatePodNetnsAsync()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root for the pod's network namespace (the meta-plugin lists its links before each delegate)");
        return await NetnsManager.CreateAsync(_netns, CancellationToken.None);
    }

    private static Task<ShimOutput> AddAsync(byte[] config, string netns, string pod, string? containerId = null)
    {
        var env = TestDaemon.Env("ADD", containerId ?? "c-" + pod);
        env["CNI_NETNS"] = netns;
        env["CNI_ARGS"] = "IgnoreUnknown=1;K8S_POD_NAMESPACE=ns1;K8S_POD_NAME=" + pod;
        return ShimRunner.RunAsync(env, config, CancellationToken.None);
    }
}
