namespace Plexus.Bench;

/// <summary>ADD then DEL of one pod through Plexus next to the same delegates run directly.</summary>
internal static class AddDelScenarios
{
    public static Comparison StaticDelegate(BenchPaths paths, BenchNode node)
    {
        var networks = new Networks(node);
        var cniPath = $"{paths.ArtifactsBin}:{paths.CniPluginDir}";
        return new Comparison(
            "add-del-static",
            "ADD+DEL of one pod: Plexus with a static bridge delegate vs the bridge run directly, same config",
            "plexus→bridge",
            mode => node.WithPod((netns, id) => Sample.Of(
                CniCall.Run(mode, paths.Plexus, "ADD", netns, id, "eth0", cniPath, networks.PlexusStatic),
                CniCall.Run(mode, paths.Plexus, "DEL", netns, id, "eth0", cniPath, networks.PlexusStatic))),
            "bridge",
            mode => node.WithPod((netns, id) => Sample.Of(
                CniCall.Run(mode, paths.Plugin("bridge"), "ADD", netns, id, "eth0", cniPath, networks.Primary),
                CniCall.Run(mode, paths.Plugin("bridge"), "DEL", netns, id, "eth0", cniPath, networks.Primary))));
    }

    public static Comparison PodWithTwoNads(BenchPaths paths, BenchNode node, BenchCluster cluster)
    {
        var networks = new Networks(node);
        var cniPath = $"{paths.ArtifactsBin}:{paths.CniPluginDir}";
        var plexusConfig = networks.PlexusWithKubeconfig(cluster.Kubeconfig);
        var direct = new[]
        {
            (Plugin: paths.Plugin("bridge"), IfName: "eth0", Config: networks.Primary),
            (Plugin: paths.Plugin("macvlan"), IfName: "net1", Config: networks.Macvlan),
            (Plugin: paths.Plugin("bridge"), IfName: "net2", Config: networks.SecondBridge),
        };
        return new Comparison(
            "add-del-pod-2-nads",
            "ADD+DEL of a pod with two NADs (macvlan, bridge) via the API simulator vs the same three delegates run directly",
            "plexus",
            mode => node.WithPod((netns, id) => Sample.Of(
                CniCall.Run(mode, paths.Plexus, "ADD", netns, id, "eth0", cniPath, plexusConfig, cluster.CniArgs(id)),
                CniCall.Run(mode, paths.Plexus, "DEL", netns, id, "eth0", cniPath, plexusConfig, cluster.CniArgs(id)))),
            "3 delegates",
            mode => node.WithPod((netns, id) => Sample.Of(
                [.. direct.Select(d => CniCall.Run(mode, d.Plugin, "ADD", netns, id, d.IfName, cniPath, d.Config)),
                 .. direct.Reverse().Select(d => CniCall.Run(mode, d.Plugin, "DEL", netns, id, d.IfName, cniPath, d.Config))])));
    }
}
