using Plexus.KubeSim;

namespace Plexus.Bench;

/// <summary>
/// The simulated cluster for the API-backed rows: the simulator runs in this process (as an API
/// server runs on the same machine), with the two NADs and one annotated pod the rows attach.
/// </summary>
internal sealed class BenchCluster : IAsyncDisposable
{
    private const string PodName = "bench-pod";
    private readonly KubeSimServer _server;

    private BenchCluster(KubeSimServer server, string kubeconfig, string podUid)
    {
        _server = server;
        Kubeconfig = kubeconfig;
        PodUid = podUid;
    }

    public string Kubeconfig { get; }

    public string PodUid { get; }

    public static async Task<BenchCluster> StartAsync(BenchNode node)
    {
        var server = await KubeSimServer.StartAsync();
        var networks = new Networks(node);
        server.CreateNetworkAttachmentDefinition("default", "macvlan-a", networks.Macvlan.Replace("bench-macvlan", "macvlan-a"));
        server.CreateNetworkAttachmentDefinition("default", "bridge-b", networks.SecondBridge.Replace("bench-bridge-b", "bridge-b"));
        var pod = server.CreatePod("default", PodName, "bench-node",
            new Dictionary<string, string> { ["k8s.v1.cni.cncf.io/networks"] = "macvlan-a,bridge-b" });
        var kubeconfig = server.WriteKubeconfig(Path.Combine(node.WorkDir, "kubeconfig"));
        return new BenchCluster(server, kubeconfig, pod["metadata"]!["uid"]!.GetValue<string>());
    }

    public string CniArgs(string containerId) =>
        $"IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME={PodName};K8S_POD_INFRA_CONTAINER_ID={containerId};K8S_POD_UID={PodUid}";

    /// <summary>API requests one ADD makes, by verb and resource.</summary>
    public string CountRequests(Action add)
    {
        _server.Requests.Reset();
        add();
        var counts = _server.Requests.Snapshot();
        return $"{counts.Values.Sum()} ({string.Join(", ", counts.OrderBy(c => c.Key.ToString()).Select(c => $"{c.Key} ×{c.Value}"))})";
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
