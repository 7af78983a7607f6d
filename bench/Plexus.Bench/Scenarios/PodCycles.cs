using Plexus.Bench.Infrastructure;

namespace Plexus.Bench.Scenarios;

/// <summary>
/// One ADD then DEL of a pod with two NADs, three ways: the three delegates run directly, the thin
/// plexus, and the plexus-shim through plexusd. Every way uses the same delegate configs. Unless
/// <paramref name="annotationsFromRuntime"/> is false, the runtime passes the pod's annotations.
/// </summary>
internal sealed class PodCycles(BenchPaths paths, BenchNode node, BenchCluster cluster, BenchDaemon? daemon = null, bool annotationsFromRuntime = true)
{
    private readonly Networks _networks = new(node);

    public BenchCluster Cluster => cluster;

    public BenchDaemon? Daemon => daemon;

    public bool AnnotationsFromRuntime => annotationsFromRuntime;

    public Sample Direct(ProbeMode mode, string netns, string id)
    {
        (string Plugin, string IfName, string Config)[] delegates =
        [
            (paths.Plugin("bridge"), "eth0", _networks.Primary),
            (paths.Plugin("macvlan"), "net1", _networks.Macvlan),
            (paths.Plugin("bridge"), "net2", _networks.SecondBridge),
        ];
        return Sample.Of(
            [.. delegates.Select(d => CniCall.Run(mode, d.Plugin, "ADD", netns, id, d.IfName, paths.CniPath, d.Config)),
             .. delegates.Reverse().Select(d => CniCall.Run(mode, d.Plugin, "DEL", netns, id, d.IfName, paths.CniPath, d.Config))]);
    }

    public Sample Thin(ProbeMode mode, int pod, string netns, string id) =>
        Sample.Of(Call(thick: false, "ADD", mode, pod, netns, id), Call(thick: false, "DEL", mode, pod, netns, id));

    public Sample Thick(ProbeMode mode, int pod, string netns, string id) =>
        Sample.Of(Call(thick: true, "ADD", mode, pod, netns, id), Call(thick: true, "DEL", mode, pod, netns, id));

    /// <summary>One CNI call of pod <paramref name="pod"/> through the thin plexus or the shim.</summary>
    public ProcessSample Call(bool thick, string verb, ProbeMode mode, int pod, string netns, string id)
    {
        var (binary, config) = thick
            ? (paths.Shim, _networks.ShimWithKubeconfig(cluster.Kubeconfig,
                (daemon ?? throw new InvalidOperationException("thick mode needs a running plexusd")).SocketDir, annotationsFromRuntime))
            : (paths.Plexus, _networks.PlexusWithKubeconfig(cluster.Kubeconfig, annotationsFromRuntime));
        try
        {
            return CniCall.Run(mode, binary, verb, netns, id, "eth0", paths.CniPath, config, cluster.CniArgs(pod, id));
        }
        catch (InvalidOperationException e) when (thick)
        {
            throw new InvalidOperationException($"{e.Message} ({daemon!.Describe()})", e);
        }
    }
}
