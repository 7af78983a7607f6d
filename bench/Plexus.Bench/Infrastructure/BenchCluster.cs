using Plexus.KubeSim;

namespace Plexus.Bench.Infrastructure;

/// <summary>
/// The simulated cluster for the API-backed rows: the simulator runs in this process (as an API
/// server runs on the same machine), with the two NADs and <see cref="PodCount"/> pods on the bench
/// node, each asking for both NADs (one pod per concurrent slot of the throughput rows).
/// </summary>
internal sealed class BenchCluster : IAsyncDisposable
{
    public const string NodeName = "bench-node";
    public const int PodCount = 16;

    /// <summary>Every bench pod's network selection annotation.</summary>
    public const string PodNetworks = "macvlan-a,bridge-b";
    private readonly KubeSimServer _server;
    private readonly string[] _podUids;

    private BenchCluster(KubeSimServer server, string kubeconfig, string[] podUids)
    {
        _server = server;
        Kubeconfig = kubeconfig;
        _podUids = podUids;
    }

    public string Kubeconfig { get; }

    /// <summary>The simulator's port on 127.0.0.1.</summary>
    public int Port => _server.Port;

    /// <summary>Writes the simulator's CA certificate (PEM) to <paramref name="path"/> and returns the path.</summary>
    public string WriteCa(string path)
    {
        File.WriteAllText(path, _server.CaPem);
        return path;
    }

    public static async Task<BenchCluster> StartAsync(BenchNode node)
    {
        var server = await KubeSimServer.StartAsync();
        var networks = new Networks(node);
        server.CreateNetworkAttachmentDefinition("default", "macvlan-a", networks.Macvlan.Replace("bench-macvlan", "macvlan-a"));
        server.CreateNetworkAttachmentDefinition("default", "bridge-b", networks.SecondBridge.Replace("bench-bridge-b", "bridge-b"));
        var uids = Enumerable.Range(0, PodCount)
            .Select(i => server.CreatePod("default", PodName(i), NodeName,
                new Dictionary<string, string> { ["k8s.v1.cni.cncf.io/networks"] = PodNetworks }))
            .Select(pod => pod["metadata"]!["uid"]!.GetValue<string>())
            .ToArray();
        var kubeconfig = server.WriteKubeconfig(Path.Combine(node.WorkDir, "kubeconfig"));
        return new BenchCluster(server, kubeconfig, uids);
    }

    /// <summary>CNI_ARGS as kubelet passes them for pod <paramref name="pod"/> (0 ≤ pod &lt; <see cref="PodCount"/>).</summary>
    public string CniArgs(int pod, string containerId) =>
        $"IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME={PodName(pod)};K8S_POD_INFRA_CONTAINER_ID={containerId};K8S_POD_UID={_podUids[pod]}";

    /// <summary>API requests <paramref name="operation"/> makes: the total and a breakdown by verb and resource.</summary>
    public (int Total, string Breakdown) CountRequests(Action operation)
    {
        _server.Requests.Reset();
        operation();
        var counts = _server.Requests.Snapshot();
        var total = (int)counts.Values.Sum();
        return (total, string.Join(", ", counts.OrderBy(c => c.Key.ToString()).Select(c => $"{c.Key} ×{c.Value}")));
    }

    private static string PodName(int i) => $"bench-pod-{i}";

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
