using System.Net;
using System.Text;
using Plexus.Cni;
using Plexus.Cni.Results;
using Plexus.Cni.Skel;
using Plexus.Core.Ports;
using Plexus.Core.Service;
using Plexus.Kube;
using Plexus.KubeSim;
using Plexus.Linux.Netlink;
using Plexus.Testing;

namespace Plexus.Integration.Tests.MetaPlugin;

/// <summary>
/// One throwaway node (its own netns, macvlan uplink, host-local data dir, cache dirs), the API
/// simulator with a fresh namespace, and the meta-plugin running real Debian delegates in the node,
/// reached through an <see cref="IMetaPluginRunner"/> (thin by default).
/// </summary>
internal sealed class MetaPluginBed : IAsyncDisposable
{
    private readonly IMetaPluginRunner _runner;

    private MetaPluginBed(CniTestNode node, KubeSimServer sim, string ns, string uplink, Func<MetaPluginBed, IMetaPluginRunner> runner)
    {
        Node = node;
        Sim = sim;
        Namespace = ns;
        Uplink = uplink;
        Kubeconfig = sim.WriteKubeconfig(Path.Combine(node.Root, "kubeconfig"));
        _runner = runner(this);
    }

    public CniTestNode Node { get; }

    public KubeSimServer Sim { get; }

    public string Namespace { get; }

    public string Uplink { get; }

    public string Kubeconfig { get; }

    public string CniDir => Path.Combine(Node.Root, "multus");

    public string ConfDir => Path.Combine(Node.Root, "net.d");

    public List<string> StatusWrites { get; } = [];

    public StringWriter Log { get; } = new();

    public static async Task<MetaPluginBed> CreateAsync(CancellationToken cancellationToken, Func<MetaPluginBed, IMetaPluginRunner>? runner = null)
    {
        var node = await CniTestNode.CreateAsync(cancellationToken);
        try
        {
            var sim = await KubeSimServer.StartAsync(cancellationToken: cancellationToken);
            var ns = "pods-" + Guid.NewGuid().ToString("N")[..8];
            sim.CreateNamespace(ns);
            sim.InstallNetworkAttachmentDefinitionCrd();
            return new MetaPluginBed(node, sim, ns, await node.CreateUplinkAsync(cancellationToken), runner ?? (_ => new InProcessRunner()));
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>A bridge + host-local conflist on a per-test bridge and data dir.</summary>
    public string BridgeConf(string name, string subnet, string bridge, string extraPlugins = "") => $$$"""
        {"cniVersion":"1.0.0","name":"{{{name}}}","plugins":[
          {"type":"bridge","bridge":"{{{bridge}}}","isGateway":true,
           "ipam":{"type":"host-local","subnet":"{{{subnet}}}","dataDir":"{{{Node.DataDir}}}","routes":[{"dst":"0.0.0.0/0"}]}}{{{extraPlugins}}}]}
        """;

    public string MacvlanConf(string subnet) => $$$"""
        {"cniVersion":"1.0.0","type":"macvlan","master":"{{{Uplink}}}","mode":"bridge",
         "ipam":{"type":"host-local","subnet":"{{{subnet}}}","dataDir":"{{{Node.DataDir}}}"}}
        """;

    /// <summary>The plexus config: kubeconfig, this test's dirs, and the given extra keys.</summary>
    public string Config(string clusterConf, string extra = "") => $$"""
        {"cniVersion":"1.0.0","name":"plexus-net","type":"plexus","kubeconfig":"{{Kubeconfig}}",
         "cniDir":"{{CniDir}}","confDir":"{{ConfDir}}","logLevel":"verbose","binDir":"{{CniTestNode.DebianPluginDir}}",
         "delegates":[{{clusterConf}}]{{extra}}}
        """;

    public ICniPlugin Plugin(bool kubernetes = true) => _runner.Plugin(new MetaPluginHost
    {
        Executor = Node.CreateExecutor(),
        ConnectKubernetes = path => kubernetes && KubeConnection.TryCreate(path, _ => null, TimeProvider.System) is { } ports
            ? ports with { Pods = new RecordingPods(ports.Pods, StatusWrites) }
            : null,
        Log = Log,
    }, kubernetes);

    public static CniInvocation Invocation(string command, string containerId, string? netns, string config, string? podNs = null, string? podName = null, string? uid = null) =>
        CniInvocation.Create(Environment(command, containerId, netns, podNs, podName, uid), Encoding.UTF8.GetBytes(config));

    /// <summary>The CNI_* variables a runtime sets for <paramref name="command"/> on this pod.</summary>
    public static Dictionary<string, string> Environment(string command, string containerId, string? netns, string? podNs = null, string? podName = null, string? uid = null)
    {
        var env = new Dictionary<string, string>
        {
            ["CNI_COMMAND"] = command,
            ["CNI_CONTAINERID"] = containerId,
            ["CNI_IFNAME"] = "eth0",
            ["CNI_PATH"] = CniTestNode.DebianPluginDir,
        };
        if (netns is not null)
        {
            env["CNI_NETNS"] = netns;
        }
        if (podName is not null)
        {
            env["CNI_ARGS"] = $"IgnoreUnknown=1;K8S_POD_NAMESPACE={podNs};K8S_POD_NAME={podName};K8S_POD_INFRA_CONTAINER_ID={containerId}" + (uid is null ? "" : $";K8S_POD_UID={uid}");
        }
        return env;
    }

    public static string NewContainerId() => Guid.NewGuid().ToString("N");

    public Task<Dictionary<string, List<string>>> AddressesAsync(string netnsPath, CancellationToken cancellationToken)
    {
        using var netlink = NetlinkClient.Open(netnsPath, cancellationToken);
        var links = netlink.ListLinks(cancellationToken);
        var addresses = netlink.ListAddresses(cancellationToken);
        return Task.FromResult(links.ToDictionary(l => l.Name, l => addresses.Where(a => a.LinkIndex == l.Index && !IPAddress.IsLoopback(a.Address) && !a.Address.IsIPv6LinkLocal)
            .Select(a => $"{a.Address}/{a.PrefixLength}").ToList()));
    }

    /// <summary>host-local's reservations left in the data dir (one file per address).</summary>
    public IReadOnlyList<string> ReservedAddresses() =>
        !Directory.Exists(Node.DataDir) ? [] :
        Directory.EnumerateFiles(Node.DataDir, "*", SearchOption.AllDirectories)
            .Select(Path.GetFileName).OfType<string>()
            .Where(f => IPAddress.TryParse(f, out _)).ToList();

    public static IReadOnlyList<string> IpsOf(CniResult result) => ((Result100)result.ConvertTo(CniVersion.V100)).Ips.Select(i => i.Address).ToList();

    public async ValueTask DisposeAsync()
    {
        await _runner.DisposeAsync();
        await Sim.DisposeAsync();
        await Node.DisposeAsync();
    }

    /// <summary>Passes every call on and keeps what was written as network-status.</summary>
    private sealed class RecordingPods(IPodClient inner, List<string> writes) : IPodClient
    {
        public Task<PodLookup> GetPodAsync(PodRef pod, CancellationToken cancellationToken) => inner.GetPodAsync(pod, cancellationToken);

        public Task<StatusWriteOutcome> WriteNetworkStatusAsync(PodRef pod, string? uid, string networkStatusJson, CancellationToken cancellationToken)
        {
            writes.Add(networkStatusJson);
            return inner.WriteNetworkStatusAsync(pod, uid, networkStatusJson, cancellationToken);
        }

        public Task RecordEventAsync(PodRef pod, string? podUid, PodEvent podEvent, CancellationToken cancellationToken) =>
            inner.RecordEventAsync(pod, podUid, podEvent, cancellationToken);
    }
}
