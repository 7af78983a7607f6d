using System.Text;
using Plexus.Cni;
using Plexus.Cni.Config;
using Plexus.Cni.Invoke;
using Plexus.Testing;

namespace Plexus.Integration.Tests.MetaPlugin;

/// <summary>
/// A node switched in place from Multus: a pod Multus added (its delegates run as Multus runs them, its delegate cache
/// written in Multus's format) is deleted by Plexus's DEL with real Debian plugins in a throwaway node.
/// </summary>
[Trait("Category", "Root")]
public sealed class MultusMigrationTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [SkippableFact]
    public async Task Del_PodMultusAdded_EveryLinkAndLeaseGoneThenCacheRemoved()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root for network namespaces");
        await using var bed = await MetaPluginBed.CreateAsync(None);
        var podNs = await bed.Node.CreatePodAsync(None);
        var id = MetaPluginBed.NewContainerId();
        var cluster = $$$"""
            {"cniVersion":"0.3.1","name":"cbr0","type":"bridge","bridge":"cni0","isGateway":true,
             "ipam":{"type":"host-local","subnet":"10.10.0.0/24","dataDir":"{{{bed.Node.DataDir}}}"}}
            """;
        // The NAD's config has no name: Multus ran it with the NAD's name put in.
        var macvlan = """{"name":"macvlan-a",""" + bed.MacvlanConf("10.10.1.0/24").TrimStart()[1..];
        var bridgeB = bed.BridgeConf("bridge-b", "10.10.2.0/24", "brb");
        // Multus's order and interface names: the cluster network on CNI_IFNAME, then net<index> unless one is requested.
        var delegates = new (string Conf, string Name, string IfName, string? IfnameRequest)[]
        {
            (cluster, "cbr0", "eth0", null),
            (macvlan, $"{bed.Namespace}/macvlan-a", "net1", null),
            (bridgeB, "default/bridge-b", "data0", "data0"),
        };
        await AddAsMultusAsync(bed, id, podNs, delegates);
        Assert.Equal(["data0", "eth0", "lo", "net1"], (await bed.AddressesAsync(podNs, None)).Keys.Order(StringComparer.Ordinal));
        Assert.Equal(3, bed.ReservedAddresses().Count);
        Directory.CreateDirectory(bed.CniDir);
        File.WriteAllText(Path.Combine(bed.CniDir, id), MultusCache(delegates));
        var config = bed.Config(cluster);

        await bed.Plugin(kubernetes: false).DelAsync(MetaPluginBed.Invocation("DEL", id, podNs, config, bed.Namespace, "web"), None);

        Assert.Equal(["lo"], (await bed.AddressesAsync(podNs, None)).Keys.ToArray());
        Assert.Empty(bed.ReservedAddresses());
        Assert.False(File.Exists(Path.Combine(bed.CniDir, id)));
        Assert.Contains("is Multus's", bed.Log.ToString());

        await bed.Plugin(kubernetes: false).DelAsync(MetaPluginBed.Invocation("DEL", id, podNs, config, bed.Namespace, "web"), None);
    }

    /// <summary>
    /// Runs each delegate's ADD as Multus's libcni does. Its result caches go outside Plexus's cniDir (where libcni's
    /// default cache dir puts them for Multus before 3.7), so Plexus's DEL has only Multus's delegate cache to go by.
    /// </summary>
    internal static async Task AddAsMultusAsync(MetaPluginBed bed, string id, string podNs, IEnumerable<(string Conf, string Name, string IfName, string? IfnameRequest)> delegates)
    {
        var executor = bed.Node.CreateExecutor();
        var runtime = new DelegateRuntime(executor, new PluginVersionCache(executor), new ResultCache(bed.Node.CacheDir), [CniTestNode.DebianPluginDir]);
        foreach (var (conf, _, ifName, _) in delegates)
        {
            await runtime.AddNetworkListAsync(NetworkConfigList.ParseConfOrList(Encoding.UTF8.GetBytes(conf)), new RuntimeConf
            {
                ContainerId = id,
                NetnsPath = podNs,
                IfName = ifName,
                Args = CniArgs.Parse($"IgnoreUnknown=true;K8S_POD_NAMESPACE={bed.Namespace};K8S_POD_NAME=web;K8S_POD_INFRA_CONTAINER_ID={id};K8S_POD_UID="),
            }, None);
        }
    }

    /// <summary>Multus's delegate cache as its Go JSON encoding writes it (the members DEL does not read abridged).</summary>
    internal static string MultusCache(IEnumerable<(string Conf, string Name, string IfName, string? IfnameRequest)> delegates) =>
        "[" + string.Join(",", delegates.Select(d =>
        {
            var ifnameRequest = d.IfnameRequest is null ? "" : $$"""
                "ifnameRequest":"{{d.IfnameRequest}}",
                """;
            var bytes = Convert.ToBase64String(Encoding.UTF8.GetBytes(d.Conf));
            return $$$"""
                {"Conf":{"ipam":{},"dns":{}},"ConfList":{},"Name":"{{{d.Name}}}",{{{ifnameRequest}}}"IsFilterV4Gateway":false,"IsFilterV6Gateway":false,"Bytes":"{{{bytes}}}"}
                """;
        })) + "]";
}
