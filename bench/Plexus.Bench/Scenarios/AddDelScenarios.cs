using Plexus.Bench.Infrastructure;
using Plexus.Bench.Reporting;

namespace Plexus.Bench.Scenarios;

/// <summary>ADD then DEL of one pod through Plexus next to the same delegates run directly (or thin next to thick).</summary>
internal static class AddDelScenarios
{
    public static Comparison StaticDelegate(BenchPaths paths, BenchNode node)
    {
        var networks = new Networks(node);
        return new Comparison(
            "add-del-static",
            "ADD+DEL of one pod: plexus with a static bridge delegate vs the bridge run directly, same config",
            "plexus→bridge",
            mode => node.WithPod((netns, id) => Sample.Of(
                CniCall.Run(mode, paths.Plexus, "ADD", netns, id, "eth0", paths.CniPath, networks.PlexusStatic),
                CniCall.Run(mode, paths.Plexus, "DEL", netns, id, "eth0", paths.CniPath, networks.PlexusStatic))),
            "bridge",
            mode => node.WithPod((netns, id) => PrimaryDirect(paths, networks, mode, netns, id)),
            Targets.RatioAtMost(1.25));
    }

    public static Comparison PodWithoutNads(BenchPaths paths, BenchNode node, BenchCluster cluster)
    {
        var networks = new Networks(node);
        var config = networks.PlexusWithKubeconfig(cluster.Kubeconfig, annotationsFromRuntime: true, podNetworks: null);
        return new Comparison(
            "add-del-pod-no-nads",
            "ADD+DEL of a pod that selects no networks via the API simulator (network-status and event written): thin plexus vs its cluster network's bridge run directly",
            "plexus",
            mode => node.WithPod((netns, id) => Sample.Of(
                CniCall.Run(mode, paths.Plexus, "ADD", netns, id, "eth0", paths.CniPath, config, cluster.CniArgs(0, id)),
                CniCall.Run(mode, paths.Plexus, "DEL", netns, id, "eth0", paths.CniPath, config, cluster.CniArgs(0, id)))),
            "bridge",
            mode => node.WithPod((netns, id) => PrimaryDirect(paths, networks, mode, netns, id)));
    }

    public static Comparison PodWithTwoNads(BenchPaths paths, BenchNode node, BenchCluster cluster)
    {
        var pod = new PodCycles(paths, node, cluster);
        return new Comparison(
            "add-del-pod-2-nads",
            "ADD+DEL of a pod with two NADs (macvlan, bridge) via the API simulator: thin plexus vs the same three delegates run directly",
            "plexus",
            mode => node.WithPod((netns, id) => pod.Thin(mode, 0, netns, id)),
            "3 delegates",
            mode => node.WithPod((netns, id) => pod.Direct(mode, netns, id)),
            Targets.OverheadAtMost(10));
    }

    public static Comparison PodWithTwoNadsThick(BenchPaths paths, BenchNode node, BenchCluster cluster, BenchDaemon daemon)
    {
        var pod = new PodCycles(paths, node, cluster, daemon);
        return new Comparison(
            "add-del-pod-2-nads-thick",
            "ADD+DEL of the same pod with two NADs: plexus-shim through plexusd (caches synced) vs the same three delegates run directly; RSS is the shim's",
            "shim+plexusd",
            mode => node.WithPod((netns, id) => pod.Thick(mode, 0, netns, id)),
            "3 delegates",
            mode => node.WithPod((netns, id) => pod.Direct(mode, netns, id)),
            Targets.OverheadAtMost(10));
    }

    public static Comparison ThickVsThin(BenchPaths paths, BenchNode node, BenchCluster cluster, BenchDaemon daemon)
    {
        var pod = new PodCycles(paths, node, cluster, daemon);
        return new Comparison(
            "add-del-thick-vs-thin",
            "ADD+DEL of the same pod with two NADs: plexus-shim through plexusd (caches synced) vs the thin plexus; RSS is the shim's",
            "shim+plexusd",
            mode => node.WithPod((netns, id) => pod.Thick(mode, 0, netns, id)),
            "plexus (thin)",
            mode => node.WithPod((netns, id) => pod.Thin(mode, 0, netns, id)));
    }

    private static Sample PrimaryDirect(BenchPaths paths, Networks networks, ProbeMode mode, string netns, string id) => Sample.Of(
        CniCall.Run(mode, paths.Plugin("bridge"), "ADD", netns, id, "eth0", paths.CniPath, networks.Primary),
        CniCall.Run(mode, paths.Plugin("bridge"), "DEL", netns, id, "eth0", paths.CniPath, networks.Primary));
}
