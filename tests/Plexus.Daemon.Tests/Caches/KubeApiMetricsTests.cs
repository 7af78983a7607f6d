using System.Net;
using System.Text;
using Plexus.Daemon.Config;
using Plexus.Daemon.Protocol.Shim;
using Plexus.Daemon.Tests.Testing;
using Plexus.KubeSim;
using Plexus.Linux.Netns;
using Plexus.Testing;

namespace Plexus.Daemon.Tests.Caches;

/// <summary>
/// Every API request plexusd makes appears in <c>plexus_kube_api_requests_total</c> and the latency histogram: the
/// caches' lists and watches, and the live client's GETs on cache misses, status PATCHes and event POSTs, driven
/// through the real meta-plugin (a script delegate; the pod namespace is an empty throwaway one) against the API simulator.
/// </summary>
public sealed class KubeApiMetricsTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("plexusd-api-metrics-").FullName;
    private readonly string _netns = TestNetns.NewName();
    private KubeSimServer _sim = null!;

    public async Task InitializeAsync()
    {
        _sim = await KubeSimServer.StartAsync();
        _sim.CreateNamespace("ns1");
        _sim.InstallNetworkAttachmentDefinitionCrd();
    }

    public async Task DisposeAsync()
    {
        await _sim.DisposeAsync();
        if (NetnsManager.Exists(_netns))
        {
            NetnsManager.Delete(_netns);
        }
        Directory.Delete(_dir, recursive: true);
    }

    [SkippableFact]
    [Trait("Category", "Root")]
    public async Task Metrics_LiveGetsWritesAndFailures_CountedWithVerbResourceAndCode()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root for the pod's network namespace (the meta-plugin lists its links after ADD)");
        var netns = await NetnsManager.CreateAsync(_netns, CancellationToken.None);
        var bin = Directory.CreateDirectory(Path.Combine(_dir, "bin")).FullName;
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
        var kubeconfig = _sim.WriteKubeconfig(Path.Combine(_dir, "kubeconfig"));
        var settings = new DaemonSettings
        {
            Server = new DaemonOptions { SocketDir = Path.Combine(_dir, "run"), MetricsEndpoint = new IPEndPoint(IPAddress.Loopback, 0) },
            Kubeconfig = kubeconfig,
            NodeName = "node-a",
        };
        await using var server = ThickDaemon.Build(settings, _ => null);
        await server.StartAsync(CancellationToken.None);
        // On another node, so never in this daemon's pod cache: every lookup is a live GET.
        _sim.CreatePod("ns1", "elsewhere", nodeName: "node-b");
        _sim.CreatePod("ns1", "wants-missing", nodeName: "node-b",
            annotations: new Dictionary<string, string> { ["k8s.v1.cni.cncf.io/networks"] = "missing" });
        var config = Encoding.UTF8.GetBytes($$"""
            {"cniVersion":"0.4.0","name":"plexus","type":"plexus-shim","daemonSocketDir":"{{settings.Server.SocketDir}}",
             "kubeconfig":"{{kubeconfig}}","binDir":"{{bin}}","cniDir":"{{_dir}}/cni",
             "delegates":[{"cniVersion":"0.4.0","name":"cluster","type":"fake"}]}
            """);

        var added = await AddAsync(config, netns, "elsewhere");
        var missingNad = await AddAsync(config, netns, "wants-missing");
        await AddAsync(config, netns, "ghost");
        await _sim.RefuseConnectionsAsync();
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

    private static Task<ShimOutput> AddAsync(byte[] config, string netns, string pod, string? containerId = null)
    {
        var env = TestDaemon.Env("ADD", containerId ?? "c-" + pod);
        env["CNI_NETNS"] = netns;
        env["CNI_ARGS"] = "IgnoreUnknown=1;K8S_POD_NAMESPACE=ns1;K8S_POD_NAME=" + pod;
        return ShimRunner.RunAsync(env, config, CancellationToken.None);
    }
}
