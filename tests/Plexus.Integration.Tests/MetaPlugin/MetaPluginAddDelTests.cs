using System.Text.Json.Nodes;
using Plexus.Cni;
using Plexus.Testing;

namespace Plexus.Integration.Tests.MetaPlugin;

/// <summary>ADD/DEL of pods with extra networks: real Debian plugins in a throwaway node, the API simulator.</summary>
[Trait("Category", "Root")]
public class MetaPluginAddDelTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>Thin mode here; Thick/ re-runs every scenario through plexus-shim and plexusd.</summary>
    internal virtual Task<MetaPluginBed> CreateBedAsync() => MetaPluginBed.CreateAsync(None);

    [SkippableFact]
    public async Task Add_CommaAnnotation_ThreeInterfacesStatusEventThenDelReleasesAll()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root for network namespaces");
        await using var bed = await CreateBedAsync();
        bed.Sim.CreateNetworkAttachmentDefinition(bed.Namespace, "macvlan-a", bed.MacvlanConf("10.10.1.0/24"));
        bed.Sim.CreateNetworkAttachmentDefinition("default", "bridge-b", bed.BridgeConf("ignored", "10.10.2.0/24", "brb").Replace("\"name\":\"ignored\",", ""));
        var uid = (string)bed.Sim.CreatePod(bed.Namespace, "web", annotations: new Dictionary<string, string>
        {
            ["k8s.v1.cni.cncf.io/networks"] = "macvlan-a,default/bridge-b@data0",
        })["metadata"]!["uid"]!;
        var podNs = await bed.Node.CreatePodAsync(None);
        var id = MetaPluginBed.NewContainerId();
        var config = bed.Config(bed.BridgeConf("cbr0", "10.10.0.0/24", "cni0"));
        var plugin = bed.Plugin();

        var result = await plugin.AddAsync(MetaPluginBed.Invocation("ADD", id, podNs, config, bed.Namespace, "web", uid), None);

        var addresses = await bed.AddressesAsync(podNs, None);
        Assert.StartsWith("10.10.0.", Assert.Single(MetaPluginBed.IpsOf(result)));
        Assert.StartsWith("10.10.0.", Assert.Single(addresses["eth0"]));
        Assert.StartsWith("10.10.1.", Assert.Single(addresses["net1"]));
        Assert.StartsWith("10.10.2.", Assert.Single(addresses["data0"]));
        var written = Assert.Single(bed.StatusWrites);
        Assert.Equal(written, (string?)bed.Sim.Get("v1", "Pod", bed.Namespace, "web")!["metadata"]!["annotations"]!["k8s.v1.cni.cncf.io/network-status"]);
        var status = JsonNode.Parse(written)!.AsArray();
        Assert.Equal(["cbr0", $"{bed.Namespace}/macvlan-a", "default/bridge-b"], status.Select(s => (string)s!["name"]!).ToArray());
        Assert.Equal(["eth0", "net1", "data0"], status.Select(s => (string)s!["interface"]!).ToArray());
        Assert.Equal([true, false, false], status.Select(s => (bool?)s!["default"] ?? false).ToArray());
        Assert.Equal(addresses["net1"][0].Split('/')[0], (string)status[1]!["ips"]![0]!);
        var addedEvent = Assert.Single(bed.Sim.List("v1", "Event", bed.Namespace));
        Assert.Equal("AddedInterface", (string?)addedEvent["reason"]);
        Assert.Contains("Add data0 [", (string?)addedEvent["message"]);
        Assert.Equal(3, bed.ReservedAddresses().Count);
        Assert.True(File.Exists(Path.Combine(bed.CniDir, id)));

        await plugin.DelAsync(MetaPluginBed.Invocation("DEL", id, podNs, config, bed.Namespace, "web", uid), None);
        await plugin.DelAsync(MetaPluginBed.Invocation("DEL", id, podNs, config, bed.Namespace, "web", uid), None);

        Assert.Equal(["lo"], (await bed.AddressesAsync(podNs, None)).Keys.ToArray());
        Assert.Empty(bed.ReservedAddresses());
        Assert.False(File.Exists(Path.Combine(bed.CniDir, id)));
    }

    [SkippableFact]
    public async Task Add_JsonAnnotation_IpsMacAndDefaultRouteInPodNamespace()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root for network namespaces");
        await using var bed = await CreateBedAsync();
        bed.Sim.CreateNetworkAttachmentDefinition(bed.Namespace, "static-c", $$$"""
            {"cniVersion":"1.0.0","name":"static-c","plugins":[
              {"type":"macvlan","master":"{{{bed.Uplink}}}","capabilities":{"ips":true},"ipam":{"type":"static"} },
              {"type":"tuning","capabilities":{"mac":true}} ]}
            """);
        bed.Sim.CreatePod(bed.Namespace, "db", annotations: new Dictionary<string, string>
        {
            ["k8s.v1.cni.cncf.io/networks"] = """[{"name":"static-c","interface":"ext0","ips":["10.20.0.5/24"],"mac":"02:00:00:aa:bb:cc","default-route":["10.20.0.1"]}]""",
        });
        var podNs = await bed.Node.CreatePodAsync(None);
        var id = MetaPluginBed.NewContainerId();
        var config = bed.Config(bed.BridgeConf("cbr0", "10.10.0.0/24", "cni0"));

        await bed.Plugin().AddAsync(MetaPluginBed.Invocation("ADD", id, podNs, config, bed.Namespace, "db"), None);

        var podName = Path.GetFileName(podNs);
        Assert.Equal(["10.20.0.5/24"], (await bed.AddressesAsync(podNs, None))["ext0"]);
        Assert.Contains("link/ether 02:00:00:aa:bb:cc", await Ip.RunAsync(None, "-n", podName, "link", "show", "ext0"));
        var defaults = (await Ip.RunAsync(None, "-n", podName, "-4", "route", "show", "default")).Trim();
        Assert.Equal("default via 10.20.0.1 dev ext0", defaults);
        var status = JsonNode.Parse(bed.StatusWrites.Last())!.AsArray();
        Assert.Null(status[0]!["gateway"]);
        Assert.Equal("10.20.0.1", (string?)status[1]!["gateway"]![0]);
        Assert.Equal("02:00:00:aa:bb:cc", (string?)status[1]!["mac"]);
    }

    /// <summary>
    /// A dual-stack cluster network with both default routes, and an extra network asking for one family's default
    /// route: only that family's default moves to the extra interface; the other family's stays on eth0.
    /// </summary>
    [SkippableTheory]
    [InlineData("10.20.0.1", "-4", "-6")]
    [InlineData("fd20::1", "-6", "-4")]
    public async Task Add_DualStackClusterExtraAsksOneFamilyDefault_OtherFamilyStaysOnEth0(string gateway, string moved, string kept)
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root for network namespaces");
        await using var bed = await CreateBedAsync();
        bed.Sim.CreateNetworkAttachmentDefinition(bed.Namespace, "static-d", $$$"""
            {"cniVersion":"1.0.0","name":"static-d","type":"macvlan","master":"{{{bed.Uplink}}}","capabilities":{"ips":true},"ipam":{"type":"static"}}
            """);
        bed.Sim.CreatePod(bed.Namespace, "ds", annotations: new Dictionary<string, string>
        {
            ["k8s.v1.cni.cncf.io/networks"] = $$"""[{"name":"static-d","interface":"ext0","ips":["10.20.0.5/24","fd20::5/64"],"default-route":["{{gateway}}"]}]""",
        });
        var podNs = await bed.Node.CreatePodAsync(None);
        var podName = Path.GetFileName(podNs);
        var id = MetaPluginBed.NewContainerId();
        var cluster = $$$"""
            {"cniVersion":"1.0.0","name":"cbr0","plugins":[
              {"type":"bridge","bridge":"cni0","isGateway":true,
               "ipam":{"type":"host-local","dataDir":"{{{bed.Node.DataDir}}}",
                       "ranges":[[{"subnet":"10.10.0.0/24"}],[{"subnet":"fd10::/64"}]],
                       "routes":[{"dst":"0.0.0.0/0"},{"dst":"::/0"}]}}]}
            """;
        var config = bed.Config(cluster);
        var plugin = bed.Plugin();

        await plugin.AddAsync(MetaPluginBed.Invocation("ADD", id, podNs, config, bed.Namespace, "ds"), None);

        var keptGateway = kept == "-4" ? "10.10.0.1" : "fd10::1";
        Assert.Equal($"default via {gateway} dev ext0", await DefaultRoutesAsync(podName, moved));
        Assert.Equal($"default via {keptGateway} dev eth0", await DefaultRoutesAsync(podName, kept));
        var status = JsonNode.Parse(bed.StatusWrites.Last())!.AsArray();
        Assert.Equal(gateway, (string?)status[1]!["gateway"]![0]);

        await plugin.DelAsync(MetaPluginBed.Invocation("DEL", id, podNs, config, bed.Namespace, "ds"), None);
        Assert.Equal(["lo"], (await bed.AddressesAsync(podNs, None)).Keys.ToArray());
        Assert.Empty(bed.ReservedAddresses());
    }

    /// <summary>The pod's default routes of one family, one per line, without kernel decorations (proto, metric, pref).</summary>
    private static async Task<string> DefaultRoutesAsync(string podName, string family)
    {
        var lines = (await Ip.RunAsync(None, "-n", podName, family, "route", "show", "default"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join('\n', lines.Select(l => string.Join(' ', l.Split(' ').Take(5))));
    }

    [SkippableFact]
    public async Task Add_DefaultNetworkAnnotation_ReplacesClusterNetwork()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root for network namespaces");
        await using var bed = await CreateBedAsync();
        bed.Sim.CreateNetworkAttachmentDefinition("kube-system", "alt", bed.BridgeConf("alt", "10.30.0.0/24", "alt0"));
        bed.Sim.CreatePod(bed.Namespace, "p", annotations: new Dictionary<string, string> { ["v1.multus-cni.io/default-network"] = "alt" });
        var podNs = await bed.Node.CreatePodAsync(None);

        var result = await bed.Plugin().AddAsync(
            MetaPluginBed.Invocation("ADD", MetaPluginBed.NewContainerId(), podNs, bed.Config(bed.BridgeConf("cbr0", "10.10.0.0/24", "cni0")), bed.Namespace, "p"), None);

        Assert.StartsWith("10.30.0.", Assert.Single(MetaPluginBed.IpsOf(result)));
        Assert.Equal("kube-system/alt", (string?)JsonNode.Parse(bed.StatusWrites.Last())![0]!["name"]);
    }

    [SkippableFact]
    public async Task Add_SecondDelegateFails_FirstRolledBackAndDelThenSucceeds()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root for network namespaces");
        await using var bed = await CreateBedAsync();
        bed.Sim.CreateNetworkAttachmentDefinition(bed.Namespace, "broken", """{"cniVersion":"1.0.0","type":"macvlan","master":"no-such-link","ipam":{"type":"static","addresses":[{"address":"10.40.0.2/24"}]}}""");
        bed.Sim.CreatePod(bed.Namespace, "p", annotations: new Dictionary<string, string> { ["k8s.v1.cni.cncf.io/networks"] = "broken" });
        var podNs = await bed.Node.CreatePodAsync(None);
        var id = MetaPluginBed.NewContainerId();
        var config = bed.Config(bed.BridgeConf("cbr0", "10.10.0.0/24", "cni0"));
        var plugin = bed.Plugin();

        var error = await Assert.ThrowsAsync<CniException>(() => plugin.AddAsync(MetaPluginBed.Invocation("ADD", id, podNs, config, bed.Namespace, "p"), None));

        Assert.Contains($"pod {bed.Namespace}/p", error.Message);
        Assert.Contains($"network {bed.Namespace}/broken (net1)", error.Message);
        Assert.Contains("every attachment was removed again", error.Details);
        Assert.Equal(["lo"], (await bed.AddressesAsync(podNs, None)).Keys.ToArray());
        Assert.Empty(bed.ReservedAddresses());
        Assert.False(File.Exists(Path.Combine(bed.CniDir, id)));
        await plugin.DelAsync(MetaPluginBed.Invocation("DEL", id, podNs, config, bed.Namespace, "p"), None);
    }

    /// <summary>Pod "p" asking for macvlan-a, added behind a static bridge cluster network: eth0 and net1 attached.</summary>
    private static async Task<(string PodNs, string Id, string Config)> AddPodWithMacvlanAsync(MetaPluginBed bed)
    {
        bed.Sim.CreateNetworkAttachmentDefinition(bed.Namespace, "macvlan-a", bed.MacvlanConf("10.10.1.0/24"));
        bed.Sim.CreatePod(bed.Namespace, "p", annotations: new Dictionary<string, string> { ["k8s.v1.cni.cncf.io/networks"] = "macvlan-a" });
        var podNs = await bed.Node.CreatePodAsync(None);
        var id = MetaPluginBed.NewContainerId();
        var config = bed.Config(bed.BridgeConf("cbr0", "10.10.0.0/24", "cni0"));
        await bed.Plugin().AddAsync(MetaPluginBed.Invocation("ADD", id, podNs, config, bed.Namespace, "p"), None);
        return (podNs, id, config);
    }

    [SkippableFact]
    public async Task Del_ApiServerDown_DeletesFromCache()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root for network namespaces");
        await using var bed = await CreateBedAsync();
        var (podNs, id, config) = await AddPodWithMacvlanAsync(bed);
        await bed.Sim.RefuseConnectionsAsync();

        await bed.Plugin().DelAsync(MetaPluginBed.Invocation("DEL", id, podNs, config, bed.Namespace, "p"), None);

        Assert.Equal(["lo"], (await bed.AddressesAsync(podNs, None)).Keys.ToArray());
        Assert.Empty(bed.ReservedAddresses());
    }

    [SkippableFact]
    public async Task Del_CorruptDelegateCache_BestEffortFromResultCaches()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root for network namespaces");
        await using var bed = await CreateBedAsync();
        var (podNs, id, config) = await AddPodWithMacvlanAsync(bed);
        await File.WriteAllTextAsync(Path.Combine(bed.CniDir, id), "{truncated");

        await bed.Plugin().DelAsync(MetaPluginBed.Invocation("DEL", id, podNs, config, bed.Namespace, "p"), None);

        Assert.Empty(bed.ReservedAddresses());
        Assert.Equal(["lo"], (await bed.AddressesAsync(podNs, None)).Keys.ToArray());
        Assert.Contains("not valid JSON", bed.Log.ToString());
    }

    [SkippableFact]
    public async Task StaticDelegatesOnly_NoKubernetes_AddCheckDel()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root for network namespaces");
        await using var bed = await CreateBedAsync();
        var config = $$"""
            {"cniVersion":"1.0.0","name":"plexus-net","type":"plexus","cniDir":"{{bed.CniDir}}","binDir":"{{CniTestNode.DebianPluginDir}}",
             "delegates":[{{bed.BridgeConf("cbr0", "10.10.0.0/24", "cni0")}},{{bed.MacvlanConf("10.10.1.0/24").Replace("{\"cniVersion\"", "{\"name\":\"side\",\"cniVersion\"")}}]}
            """;
        var podNs = await bed.Node.CreatePodAsync(None);
        var id = MetaPluginBed.NewContainerId();
        var plugin = bed.Plugin(kubernetes: false);

        await plugin.AddAsync(MetaPluginBed.Invocation("ADD", id, podNs, config), None);
        await plugin.CheckAsync(MetaPluginBed.Invocation("CHECK", id, podNs, config), None);

        Assert.Equal(["eth0", "lo", "net1"], (await bed.AddressesAsync(podNs, None)).Keys.Order().ToArray());
        await plugin.DelAsync(MetaPluginBed.Invocation("DEL", id, podNs, config), None);
        Assert.Empty(bed.ReservedAddresses());
    }
}
