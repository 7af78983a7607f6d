namespace Plexus.Bench.Infrastructure;

/// <summary>The delegate configs the ADD/DEL rows use, shared by Plexus and the direct baseline.</summary>
internal sealed record Networks(BenchNode Node)
{
    public string Primary => $$$"""
        {"cniVersion":"1.0.0","name":"bench-primary","type":"bridge","bridge":"bench0","isGateway":true,
         "ipam":{"type":"host-local","dataDir":"{{{Node.IpamDir}}}","ranges":[[{"subnet":"10.123.0.0/16"}]]}}
        """;

    public string Macvlan => $$$"""
        {"cniVersion":"1.0.0","name":"bench-macvlan","type":"macvlan","master":"{{{BenchNode.Uplink}}}","mode":"bridge",
         "ipam":{"type":"host-local","dataDir":"{{{Node.IpamDir}}}","ranges":[[{"subnet":"10.124.0.0/16"}]]}}
        """;

    public string SecondBridge => $$$"""
        {"cniVersion":"1.0.0","name":"bench-bridge-b","type":"bridge","bridge":"bench1",
         "ipam":{"type":"host-local","dataDir":"{{{Node.IpamDir}}}","ranges":[[{"subnet":"10.125.0.0/16"}]]}}
        """;

    /// <summary>Plexus with the primary as its only (static) delegate and no Kubernetes at all.</summary>
    public string PlexusStatic => $$$"""
        {"cniVersion":"1.0.0","name":"bench-plexus","type":"plexus","cniDir":"{{{Node.CacheDir}}}","delegates":[{{{Primary}}}]}
        """;

    /// <summary>
    /// Plexus with the primary as cluster network and the pod's NADs from the API server. With
    /// <paramref name="annotationsFromRuntime"/> the config declares the pod-annotations capability
    /// and carries the pod's annotations in runtimeConfig, as containerd and CRI-O pass them: its
    /// networks annotation is <paramref name="podNetworks"/> (none: the pod selects no networks).
    /// </summary>
    public string PlexusWithKubeconfig(string kubeconfig, bool annotationsFromRuntime, string? podNetworks = BenchCluster.PodNetworks) => $$$"""
        {"cniVersion":"1.0.0","name":"bench-plexus","type":"plexus","cniDir":"{{{Node.CacheDir}}}",
         "kubeconfig":"{{{kubeconfig}}}",{{{RuntimeAnnotations(annotationsFromRuntime, podNetworks)}}}"delegates":[{{{Primary}}}]}
        """;

    /// <summary>The same meta-plugin config for thick mode: the shim forwards it to plexusd on <paramref name="socketDir"/>.</summary>
    public string ShimWithKubeconfig(string kubeconfig, string socketDir, bool annotationsFromRuntime) => $$$"""
        {"cniVersion":"1.0.0","name":"bench-plexus","type":"plexus-shim","cniDir":"{{{Node.CacheDir}}}",
         "daemonSocketDir":"{{{socketDir}}}","kubeconfig":"{{{kubeconfig}}}",{{{RuntimeAnnotations(annotationsFromRuntime, BenchCluster.PodNetworks)}}}"delegates":[{{{Primary}}}]}
        """;

    private static string RuntimeAnnotations(bool fromRuntime, string? podNetworks) => fromRuntime
        ? "\"capabilities\":{\"io.kubernetes.cri.pod-annotations\":true},"
          + $"\"runtimeConfig\":{{\"io.kubernetes.cri.pod-annotations\":{{{(podNetworks is null ? "" : $"\"k8s.v1.cni.cncf.io/networks\":\"{podNetworks}\"")}}}}},"
        : "";
}
