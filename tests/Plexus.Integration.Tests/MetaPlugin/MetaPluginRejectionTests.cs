using Plexus.Cni;
using Plexus.Testing;

namespace Plexus.Integration.Tests.MetaPlugin;

/// <summary>Pods the meta-plugin must refuse before any delegate runs: nothing attached, nothing cached.</summary>
[Trait("Category", "Root")]
public class MetaPluginRejectionTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>Thin mode here; Thick/ re-runs every scenario through plexus-shim and plexusd.</summary>
    internal virtual Task<MetaPluginBed> CreateBedAsync() => MetaPluginBed.CreateAsync(None);

    private static async Task<(CniException Error, string PodNs, string Id)> AddRejectedAsync(MetaPluginBed bed, string config, Dictionary<string, string> annotations)
    {
        bed.Sim.CreatePod(bed.Namespace, "p", annotations: annotations);
        var podNs = await bed.Node.CreatePodAsync(None);
        var id = MetaPluginBed.NewContainerId();
        var error = await Assert.ThrowsAsync<CniException>(() => bed.Plugin().AddAsync(MetaPluginBed.Invocation("ADD", id, podNs, config, bed.Namespace, "p"), None));
        Assert.Equal(["lo"], (await bed.AddressesAsync(podNs, None)).Keys.ToArray());
        Assert.False(File.Exists(Path.Combine(bed.CniDir, id)));
        Assert.Empty(bed.ReservedAddresses());
        return (error, podNs, id);
    }

    [SkippableFact]
    public async Task Add_IsolationViolation_UpstreamErrorNothingAttached()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root for network namespaces");
        await using var bed = await CreateBedAsync();
        bed.Sim.CreateNamespace("other");
        bed.Sim.CreateNetworkAttachmentDefinition("other", "x", bed.MacvlanConf("10.10.1.0/24"));

        var (error, _, _) = await AddRejectedAsync(bed, bed.Config(bed.BridgeConf("cbr0", "10.10.0.0/24", "cni0"), ""","namespaceIsolation":true"""),
            new() { ["k8s.v1.cni.cncf.io/networks"] = "other/x" });

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Equal($"pod {bed.Namespace}/p: namespace isolation enabled, annotation violates permission, pod is in namespace {bed.Namespace} but refers to target namespace other", error.Message);
    }

    [SkippableFact]
    public async Task Add_MissingNad_ErrorAndWarningEvent()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root for network namespaces");
        await using var bed = await CreateBedAsync();

        var (error, _, _) = await AddRejectedAsync(bed, bed.Config(bed.BridgeConf("cbr0", "10.10.0.0/24", "cni0")),
            new() { ["k8s.v1.cni.cncf.io/networks"] = "ghost" });

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains($"cannot find a network-attachment-definition (ghost) in namespace ({bed.Namespace})", error.Message);
        var warning = Assert.Single(bed.Sim.List("v1", "Event", bed.Namespace));
        Assert.Equal(("Warning", "NoNetworkFound"), ((string?)warning["type"], (string?)warning["reason"]));
    }

    [SkippableFact]
    public async Task Add_InterfaceAlreadyInPodNamespace_RefusedClusterNetworkRolledBack()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root for network namespaces");
        await using var bed = await CreateBedAsync();
        bed.Sim.CreateNetworkAttachmentDefinition(bed.Namespace, "extra", bed.BridgeConf("extra", "10.10.1.0/24", "cni1"));
        bed.Sim.CreatePod(bed.Namespace, "p", annotations: new Dictionary<string, string> { ["k8s.v1.cni.cncf.io/networks"] = "extra" });
        var podNs = await bed.Node.CreatePodAsync(None);
        await Ip.RunAsync(None, "-n", Path.GetFileName(podNs), "link", "add", "net1", "type", "veth", "peer", "name", "net1p");
        var id = MetaPluginBed.NewContainerId();

        var error = await Assert.ThrowsAsync<CniException>(() => bed.Plugin().AddAsync(
            MetaPluginBed.Invocation("ADD", id, podNs, bed.Config(bed.BridgeConf("cbr0", "10.10.0.0/24", "cni0")), bed.Namespace, "p"), None));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains($"interface net1 already exists in the pod namespace {podNs}", error.Message);
        Assert.Equal(["lo", "net1", "net1p"], (await bed.AddressesAsync(podNs, None)).Keys.Order().ToArray());
        Assert.Empty(bed.ReservedAddresses());
    }

    [SkippableTheory]
    [InlineData("a/b/c", "more than one '/'")]
    [InlineData("Bad_Name", "not a DNS-1123 label")]
    [InlineData("""[{"name":"x","ips":["300.1.1.1"]}]""", "neither an IP address nor a CIDR")]
    [InlineData("""[{"name":"x",""", "JSON form is not a list")]
    public async Task Add_MalformedAnnotation_ClearErrorNothingAttached(string annotation, string expected)
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root for network namespaces");
        await using var bed = await CreateBedAsync();

        var (error, _, _) = await AddRejectedAsync(bed, bed.Config(bed.BridgeConf("cbr0", "10.10.0.0/24", "cni0")),
            new() { ["k8s.v1.cni.cncf.io/networks"] = annotation });

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains(expected, error.Message);
    }
}
