using System.Text.Json.Nodes;
using Plexus.Cni;
using Plexus.Integration.Tests.MetaPlugin;

namespace Plexus.Integration.Tests.Hardening;

/// <summary>
/// With <c>namespaceIsolation</c> on, a pod reaches only NADs of its own namespace and the global
/// ones, whichever way its annotations name the target; the admin's networks keep working.
/// </summary>
[Trait("Category", "Root")]
public sealed class NamespaceIsolationTests
{
    private const string NeedsRoot = "needs root for network namespaces";
    private const string Networks = "k8s.v1.cni.cncf.io/networks";
    private const string DefaultNetwork = "v1.multus-cni.io/default-network";
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>Annotation, value, and the namespace the isolation error must name (null: refused as malformed first).</summary>
    public static TheoryData<string, string, string?> Bypasses => new()
    {
        { Networks, "tenant-b/secret", "tenant-b" },
        { Networks, "tenant-b/secret@net9", "tenant-b" },
        { Networks, "own,tenant-b/secret", "tenant-b" },
        { Networks, """[{"name":"secret","namespace":"tenant-b"}]""", "tenant-b" },
        { Networks, """[{"name":"own"},{"name":"secret","namespace":"tenant-b","interface":"x0"}]""", "tenant-b" },
        { Networks, "kube-system/infra", "kube-system" },
        { Networks, """[{"name":"infra","namespace":"kube-system"}]""", "kube-system" },
        { DefaultNetwork, "tenant-b/secret", "tenant-b" },
        { DefaultNetwork, """[{"name":"secret","namespace":"tenant-b"}]""", "tenant-b" },
        // Names and namespaces that are not plain DNS labels never reach the API server (no path tricks).
        { Networks, """[{"name":"../../tenant-b/network-attachment-definitions/secret"}]""", null },
        { Networks, """[{"name":"secret","namespace":"tenant-b/../OWN"}]""", null },
        { Networks, """[{"name":"secret","namespace":"tenant-b\n"}]""", null },
        { Networks, """[{"name":"secret\n","namespace":"OWN"}]""", null },
        { Networks, """[{"name":"secret","namespace":"Tenant-B"}]""", null },
        { Networks, """[{"name":"secret","namespace":" tenant-b"}]""", null },
        { Networks, "tenant-b%2Fsecret", null },
        { DefaultNetwork, "tenant-b/secret,own", null },
    };

    [SkippableTheory]
    [MemberData(nameof(Bypasses))]
    public async Task Add_OtherNamespaceNad_RefusedBeforeAnyLookupNothingAttached(string annotation, string value, string? target)
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, NeedsRoot);
        await using var bed = await IsolatedBedAsync();
        var config = bed.Config(bed.BridgeConf("cbr0", "10.60.0.0/24", "cni0"), ""","namespaceIsolation":true""");
        bed.Sim.CreatePod(bed.Namespace, "p", annotations: new Dictionary<string, string> { [annotation] = value.Replace("OWN", bed.Namespace) });
        var podNs = await bed.Node.CreatePodAsync(None);
        var id = MetaPluginBed.NewContainerId();
        bed.Sim.Requests.Reset();

        var error = await Assert.ThrowsAsync<CniException>(() => bed.Plugin().AddAsync(MetaPluginBed.Invocation("ADD", id, podNs, config, bed.Namespace, "p"), None));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        if (target is null)
        {
            Assert.StartsWith($"pod {bed.Namespace}/p: invalid {annotation} annotation", error.Message);
        }
        else
        {
            Assert.Equal($"pod {bed.Namespace}/p: namespace isolation enabled, annotation violates permission, pod is in namespace {bed.Namespace} but refers to target namespace {target}", error.Message);
        }
        Assert.Equal(0, bed.Sim.Requests.CountResource("network-attachment-definitions"));
        Assert.Equal(["lo"], (await bed.AddressesAsync(podNs, None)).Keys.ToArray());
        Assert.False(File.Exists(Path.Combine(bed.CniDir, id)));
        Assert.Empty(bed.ReservedAddresses());
        await bed.Plugin().DelAsync(MetaPluginBed.Invocation("DEL", id, podNs, config, bed.Namespace, "p"), None);
    }

    [SkippableFact]
    public async Task Add_AdminNetworksOwnAndGlobalNads_AllAttachedThenReleased()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, NeedsRoot);
        await using var bed = await IsolatedBedAsync();
        bed.Sim.CreateNetworkAttachmentDefinition("kube-system", "cluster", bed.BridgeConf("cluster", "10.61.0.0/24", "cbr1"));
        bed.Sim.CreateNetworkAttachmentDefinition("default", "shared", bed.MacvlanConf("10.61.2.0/24"));
        // clusterNetwork and defaultNetworks are the admin's: they live in kube-system and apply under isolation.
        var config = $$"""
            {"cniVersion":"1.0.0","name":"plexus-net","type":"plexus","kubeconfig":"{{bed.Kubeconfig}}","cniDir":"{{bed.CniDir}}",
             "binDir":"/usr/lib/cni","namespaceIsolation":true,"clusterNetwork":"cluster","defaultNetworks":["infra"]}
            """;
        bed.Sim.CreatePod(bed.Namespace, "p", annotations: new Dictionary<string, string> { [Networks] = "own,default/shared@shared0" });
        var podNs = await bed.Node.CreatePodAsync(None);
        var id = MetaPluginBed.NewContainerId();
        var plugin = bed.Plugin();

        await plugin.AddAsync(MetaPluginBed.Invocation("ADD", id, podNs, config, bed.Namespace, "p"), None);

        var status = JsonNode.Parse(bed.StatusWrites.Last())!.AsArray().Select(s => $"{s!["name"]}={s["interface"]}").ToArray();
        Assert.Equal(["kube-system/cluster=eth0", "kube-system/infra=net1", $"{bed.Namespace}/own=net2", "default/shared=shared0"], status);
        Assert.Equal(4, bed.ReservedAddresses().Count);
        await plugin.DelAsync(MetaPluginBed.Invocation("DEL", id, podNs, config, bed.Namespace, "p"), None);
        Assert.Empty(bed.ReservedAddresses());
        Assert.Equal(["lo"], (await bed.AddressesAsync(podNs, None)).Keys.ToArray());
    }

    [SkippableTheory]
    [InlineData("infra", "kube-system/infra")]
    [InlineData("kube-system/infra", "kube-system/infra")]
    [InlineData("OWN/own", "OWN/own")]
    [InlineData("default/shared", "default/shared")]
    public async Task Add_DefaultNetworkInMultusOwnOrGlobalNamespace_Allowed(string value, string expected)
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, NeedsRoot);
        await using var bed = await IsolatedBedAsync();
        bed.Sim.CreateNetworkAttachmentDefinition("default", "shared", bed.MacvlanConf("10.61.2.0/24"));
        var config = bed.Config(bed.BridgeConf("cbr0", "10.60.0.0/24", "cni0"), ""","namespaceIsolation":true""");
        bed.Sim.CreatePod(bed.Namespace, "p", annotations: new Dictionary<string, string> { [DefaultNetwork] = value.Replace("OWN", bed.Namespace) });
        var podNs = await bed.Node.CreatePodAsync(None);
        var id = MetaPluginBed.NewContainerId();
        var plugin = bed.Plugin();

        await plugin.AddAsync(MetaPluginBed.Invocation("ADD", id, podNs, config, bed.Namespace, "p"), None);

        Assert.Equal(expected.Replace("OWN", bed.Namespace), (string?)JsonNode.Parse(bed.StatusWrites.Last())![0]!["name"]);
        await plugin.DelAsync(MetaPluginBed.Invocation("DEL", id, podNs, config, bed.Namespace, "p"), None);
        Assert.Empty(bed.ReservedAddresses());
    }

    [SkippableFact]
    public async Task Add_GlobalNamespacesSet_ReplacesDefaultAndAllowsListed()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, NeedsRoot);
        await using var bed = await IsolatedBedAsync();
        bed.Sim.CreateNamespace("shared-nets");
        bed.Sim.CreateNetworkAttachmentDefinition("shared-nets", "x", bed.MacvlanConf("10.61.3.0/24"));
        bed.Sim.CreateNetworkAttachmentDefinition("default", "shared", bed.MacvlanConf("10.61.2.0/24"));
        var config = bed.Config(bed.BridgeConf("cbr0", "10.60.0.0/24", "cni0"), ""","namespaceIsolation":true,"globalNamespaces":" shared-nets ,tenant-c" """);
        bed.Sim.CreatePod(bed.Namespace, "ok", annotations: new Dictionary<string, string> { [Networks] = """[{"name":"x","namespace":"shared-nets"}]""" });
        bed.Sim.CreatePod(bed.Namespace, "refused", annotations: new Dictionary<string, string> { [Networks] = "default/shared" });
        var plugin = bed.Plugin();
        var okNs = await bed.Node.CreatePodAsync(None);
        var refusedNs = await bed.Node.CreatePodAsync(None);

        await plugin.AddAsync(MetaPluginBed.Invocation("ADD", "ok-1", okNs, config, bed.Namespace, "ok"), None);
        var error = await Assert.ThrowsAsync<CniException>(() => plugin.AddAsync(MetaPluginBed.Invocation("ADD", "refused-1", refusedNs, config, bed.Namespace, "refused"), None));

        Assert.Equal(["eth0", "lo", "net1"], (await bed.AddressesAsync(okNs, None)).Keys.Order().ToArray());
        Assert.EndsWith("refers to target namespace default", error.Message);
        Assert.Equal(["lo"], (await bed.AddressesAsync(refusedNs, None)).Keys.ToArray());
        await plugin.DelAsync(MetaPluginBed.Invocation("DEL", "ok-1", okNs, config, bed.Namespace, "ok"), None);
        Assert.Empty(bed.ReservedAddresses());
    }

    /// <summary>The bed plus tenant-b's private NAD, an admin NAD in kube-system and one in the pod's own namespace.</summary>
    private static async Task<MetaPluginBed> IsolatedBedAsync()
    {
        var bed = await MetaPluginBed.CreateAsync(None);
        bed.Sim.CreateNamespace("tenant-b");
        bed.Sim.CreateNetworkAttachmentDefinition("tenant-b", "secret", bed.MacvlanConf("10.62.0.0/24"));
        bed.Sim.CreateNetworkAttachmentDefinition("kube-system", "infra", bed.MacvlanConf("10.61.1.0/24"));
        bed.Sim.CreateNetworkAttachmentDefinition(bed.Namespace, "own", bed.MacvlanConf("10.61.4.0/24"));
        return bed;
    }
}
