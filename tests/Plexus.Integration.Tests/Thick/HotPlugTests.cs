using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Plexus.Cni;
using Plexus.Cni.Invoke;
using Plexus.Core.Service;
using Plexus.Daemon;
using Plexus.Daemon.Config;
using Plexus.Daemon.Protocol;
using Plexus.Integration.Tests.MetaPlugin;
using Plexus.Kube;
using Plexus.Testing;

namespace Plexus.Integration.Tests.Thick;

/// <summary>
/// plexusd's <c>/delegate</c> as multus-dynamic-networks-controller calls it: one bridge network hot-plugged into a
/// running pod (real netns, Debian's bridge and host-local in the node netns, the API simulator) and unplugged again.
/// </summary>
[Trait("Category", "Root")]
public sealed class HotPlugTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>
    /// The pod was created with NAD <c>side</c> (its config named <c>side-net</c>) on net1; the controller hot-plugs a
    /// bridge on net2, then unplugs both, each with the network's own config. The pod's DEL then runs only the cluster
    /// network: every delegate is deleted exactly once.
    /// </summary>
    [SkippableFact]
    public async Task Delegate_HotPlugBridgeWithIpsThenUnplugItAndThePodsNadNetwork_InterfacesAndAddressesGoEveryDelegateDeletedOnce()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root for network namespaces");
        await using var bed = await MetaPluginBed.CreateAsync(None);
        var recorder = new DelegateRecorder(bed.Node.CreateExecutor());
        await using var daemon = await StartDaemonAsync(bed, recorder);
        var side = """{"name":"side-net",""" + bed.MacvlanConf("10.40.1.0/24").TrimStart()[1..];
        bed.Sim.CreateNetworkAttachmentDefinition(bed.Namespace, "side", side);
        var (uid, podNs, id, socket, meta) = await AddPodAsync(bed, "10.40.0.0/24", "side");
        Assert.Equal(["ADD cbr0 eth0", "ADD side-net net1"], recorder.Runs);
        var statusAfterPodAdd = NetworkStatus(bed);
        var hot = bed.BridgeConf("hot", "10.41.0.0/24", "brhot").Replace("\"type\":\"bridge\",", "\"type\":\"bridge\",\"capabilities\":{\"ips\":true},");

        var added = Post(socket, "/delegate", DelegateBody("ADD", id, podNs, bed.Namespace, "web", uid, hot, """{"ips":["10.41.0.77/24"]}""", "net2"));

        AssertOk(added);
        var result = JsonNode.Parse(added.Body)!["Result"]!;
        Assert.Equal("1.0.0", (string)result["cniVersion"]!);
        Assert.Equal("10.41.0.77/24", (string)result["ips"]![0]!["address"]!);
        var addresses = await bed.AddressesAsync(podNs, None);
        Assert.Equal(["10.41.0.77/24"], addresses["net2"]);
        Assert.StartsWith("10.40.0.", Assert.Single(addresses["eth0"]));
        Assert.StartsWith("10.40.1.", Assert.Single(addresses["net1"]));
        Assert.Contains("10.41.0.77", bed.ReservedAddresses());
        Assert.True(File.Exists(Path.Combine(bed.CniDir, "results", $"hot-{id}-net2")));
        // As upstream: the caller (the controller) owns network-status, the daemon leaves it alone.
        Assert.Equal(statusAfterPodAdd, NetworkStatus(bed));

        var again = Post(socket, "/delegate", DelegateBody("ADD", id, podNs, bed.Namespace, "web", uid, hot, null, "net2"));

        Assert.Equal(400, again.StatusCode);
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, (int)JsonNode.Parse(again.Body)!["code"]!);
        Assert.Contains("interface net2 already exists", (string)JsonNode.Parse(again.Body)!["msg"]!);

        var deleted = Post(socket, "/delegate", DelegateBody("DEL", id, podNs, bed.Namespace, "web", uid, hot, null, "net2"));

        AssertOk(deleted);
        addresses = await bed.AddressesAsync(podNs, None);
        Assert.False(addresses.ContainsKey("net2"));
        Assert.True(addresses.ContainsKey("eth0"));
        Assert.DoesNotContain("10.41.0.77", bed.ReservedAddresses());
        Assert.False(File.Exists(Path.Combine(bed.CniDir, "results", $"hot-{id}-net2")));

        AssertOk(Post(socket, "/delegate", DelegateBody("DEL", id, podNs, bed.Namespace, "web", uid, side, null, "net1")));

        Assert.Equal(["eth0", "lo"], (await bed.AddressesAsync(podNs, None)).Keys.Order(StringComparer.Ordinal));
        Assert.Single(bed.ReservedAddresses());
        var cached = JsonNode.Parse(File.ReadAllText(Path.Combine(bed.CniDir, id)))!["attachments"]!.AsArray();
        Assert.Equal(["cbr0"], cached.Select(a => (string?)a!["network"]));

        AssertOk(Post(socket, "/cni", CniRequestBody.Encode(MetaPluginBed.Environment("DEL", id, podNs, bed.Namespace, "web", uid), meta)));

        Assert.Empty(bed.ReservedAddresses());
        Assert.Equal(["DEL hot net2", "DEL side-net net1", "DEL cbr0 eth0"], recorder.Runs.Where(r => r.StartsWith("DEL ", StringComparison.Ordinal)));
    }

    [SkippableFact]
    public async Task Cni_PodDelWithoutUnplug_ReleasesTheHotPluggedNetworkToo()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root for network namespaces");
        await using var bed = await MetaPluginBed.CreateAsync(None);
        await using var daemon = await StartDaemonAsync(bed);
        var (uid, podNs, id, socket, meta) = await AddPodAsync(bed, "10.42.0.0/24");
        AssertOk(Post(socket, "/delegate", DelegateBody("ADD", id, podNs, bed.Namespace, "web", uid, bed.BridgeConf("hot", "10.43.0.0/24", "brhot"), null)));
        Assert.Equal(2, bed.ReservedAddresses().Count);

        AssertOk(Post(socket, "/cni", CniRequestBody.Encode(MetaPluginBed.Environment("DEL", id, podNs, bed.Namespace, "web", uid), meta)));

        Assert.Equal(["lo"], (await bed.AddressesAsync(podNs, None)).Keys.ToArray());
        Assert.Empty(bed.ReservedAddresses());
        Assert.False(File.Exists(Path.Combine(bed.CniDir, id)));
    }

    /// <summary>
    /// A node switched in place from Multus: the pod's networks were added by Multus, whose delegate cache is in cniDir.
    /// Hot-plugged networks join that cache (in Multus's format), an unplug takes its network out of it, and the pod's DEL
    /// through the daemon then releases every network still attached. A corrupt cache refuses a hot-plug untouched.
    /// </summary>
    [SkippableFact]
    public async Task Delegate_PodMultusAdded_HotPlugsJoinItsCacheUnplugLeavesItPodDelReleasesEverything()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root for network namespaces");
        await using var bed = await MetaPluginBed.CreateAsync(None);
        await using var daemon = await StartDaemonAsync(bed);
        var uid = (string)bed.Sim.CreatePod(bed.Namespace, "web")["metadata"]!["uid"]!;
        var podNs = await bed.Node.CreatePodAsync(None);
        var id = MetaPluginBed.NewContainerId();
        var socket = DaemonEndpoints.SocketPath(Path.Combine(bed.Node.Root, "run"), null);
        var cluster = bed.BridgeConf("cbr0", "10.44.0.0/24", "cni0");
        var macvlan = """{"name":"macvlan-a",""" + bed.MacvlanConf("10.44.1.0/24").TrimStart()[1..];
        var multusAdded = new (string Conf, string Name, string IfName, string? IfnameRequest)[]
        {
            (cluster, "cbr0", "eth0", null),
            (macvlan, $"{bed.Namespace}/macvlan-a", "net1", null),
        };
        await MultusMigrationTests.AddAsMultusAsync(bed, id, podNs, multusAdded);
        var cacheFile = Path.Combine(bed.CniDir, id);
        Directory.CreateDirectory(bed.CniDir);
        const string corrupt = """[{"Name":"cbr0","Bytes":"%%"}]""";
        File.WriteAllText(cacheFile, corrupt);
        var hotA = bed.BridgeConf("hot-a", "10.44.2.0/24", "brha");
        var hotB = bed.BridgeConf("hot-b", "10.44.3.0/24", "brhb");

        var refused = Post(socket, "/delegate", DelegateBody("ADD", id, podNs, bed.Namespace, "web", uid, hotA, null, "net2"));

        Assert.Equal(400, refused.StatusCode);
        Assert.Contains($"{cacheFile} is not a readable Multus delegate cache", (string)JsonNode.Parse(refused.Body)!["msg"]!);
        Assert.Equal(["eth0", "lo", "net1"], (await bed.AddressesAsync(podNs, None)).Keys.Order(StringComparer.Ordinal));
        Assert.Equal(2, bed.ReservedAddresses().Count);
        Assert.Equal(corrupt, File.ReadAllText(cacheFile));
        Assert.False(Directory.Exists(Path.Combine(bed.CniDir, "results")));

        File.WriteAllText(cacheFile, MultusMigrationTests.MultusCache(multusAdded));
        AssertOk(Post(socket, "/delegate", DelegateBody("ADD", id, podNs, bed.Namespace, "web", uid, hotA, null, "net2")));
        AssertOk(Post(socket, "/delegate", DelegateBody("ADD", id, podNs, bed.Namespace, "web", uid, hotB, null, "net3")));

        Assert.Equal(["eth0", "lo", "net1", "net2", "net3"], (await bed.AddressesAsync(podNs, None)).Keys.Order(StringComparer.Ordinal));
        Assert.Equal([null, null, "net2", "net3"], JsonNode.Parse(File.ReadAllText(cacheFile))!.AsArray().Select(e => (string?)e!["ifnameRequest"]));

        AssertOk(Post(socket, "/delegate", DelegateBody("DEL", id, podNs, bed.Namespace, "web", uid, hotA, null, "net2")));

        Assert.Equal(["eth0", "lo", "net1", "net3"], (await bed.AddressesAsync(podNs, None)).Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["cbr0", $"{bed.Namespace}/macvlan-a", "hot-b"], JsonNode.Parse(File.ReadAllText(cacheFile))!.AsArray().Select(e => (string?)e!["Name"]));
        Assert.Equal(3, bed.ReservedAddresses().Count);

        var meta = Encoding.UTF8.GetBytes(bed.Config(cluster));
        AssertOk(Post(socket, "/cni", CniRequestBody.Encode(MetaPluginBed.Environment("DEL", id, podNs, bed.Namespace, "web", uid), meta)));

        Assert.Equal(["lo"], (await bed.AddressesAsync(podNs, None)).Keys.ToArray());
        Assert.Empty(bed.ReservedAddresses());
        Assert.False(File.Exists(cacheFile));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(bed.CniDir, "results")));
    }

    /// <summary>
    /// The pod "web" with its cluster network (and the networks <paramref name="networks"/> selects) from a <c>/cni</c> ADD
    /// through the daemon, as the controller finds it.
    /// </summary>
    private static async Task<(string Uid, string PodNs, string Id, string Socket, byte[] Meta)> AddPodAsync(MetaPluginBed bed, string clusterRange, string? networks = null)
    {
        var annotations = networks is null ? null : new Dictionary<string, string> { ["k8s.v1.cni.cncf.io/networks"] = networks };
        var uid = (string)bed.Sim.CreatePod(bed.Namespace, "web", annotations: annotations)["metadata"]!["uid"]!;
        var podNs = await bed.Node.CreatePodAsync(None);
        var id = MetaPluginBed.NewContainerId();
        var socket = DaemonEndpoints.SocketPath(Path.Combine(bed.Node.Root, "run"), null);
        var meta = Encoding.UTF8.GetBytes(bed.Config(bed.BridgeConf("cbr0", clusterRange, "cni0")));
        AssertOk(Post(socket, "/cni", CniRequestBody.Encode(MetaPluginBed.Environment("ADD", id, podNs, bed.Namespace, "web", uid), meta)));
        return (uid, podNs, id, socket, meta);
    }

    private static async Task<DaemonServer> StartDaemonAsync(MetaPluginBed bed, IPluginExecutor? executor = null)
    {
        var settings = new DaemonSettings
        {
            Server = new DaemonOptions { SocketDir = Path.Combine(bed.Node.Root, "run"), MetricsEndpoint = new IPEndPoint(IPAddress.Loopback, 0) },
            Kubeconfig = bed.Kubeconfig,
            BinDir = CniTestNode.DebianPluginDir,
            CniDir = bed.CniDir,
        };
        var server = ThickDaemon.Build(settings, _ => null, new MetaPluginHost
        {
            Executor = executor ?? bed.Node.CreateExecutor(),
            ConnectKubernetes = path => KubeConnection.TryCreate(path, _ => null, TimeProvider.System),
            Log = bed.Log,
        });
        await server.StartAsync(None);
        return server;
    }

    /// <summary>A 200; otherwise the failure shows the daemon's CNI error.</summary>
    private static void AssertOk(DaemonReply reply) => Assert.True(reply.StatusCode == 200, $"{reply.StatusCode}: {Encoding.UTF8.GetString(reply.Body)}");

    private static DaemonReply Post(string socket, string path, byte[] body) =>
        DaemonClient.Post(socket, path, body, new DaemonTimeouts(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60)), None);

    /// <summary>The controller's request: no CNI_PATH, the network's own config, the interface's attributes.</summary>
    private static byte[] DelegateBody(string command, string id, string podNs, string ns, string pod, string uid, string config, string? attributes, string ifName = "net1")
    {
        var body = new JsonObject
        {
            ["env"] = new JsonObject
            {
                ["CNI_COMMAND"] = command,
                ["CNI_CONTAINERID"] = id,
                ["CNI_NETNS"] = podNs,
                ["CNI_IFNAME"] = ifName,
                ["CNI_ARGS"] = $"K8S_POD_NAMESPACE={ns};K8S_POD_NAME={pod};K8S_POD_UID={uid}",
            },
            ["config"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(config)),
        };
        if (attributes is not null)
        {
            body["interfaceAttributes"] = JsonNode.Parse(attributes);
        }
        return Encoding.UTF8.GetBytes(body.ToJsonString());
    }

    /// <summary>The delegates plexusd runs, in order, each as "verb network interface" (VERSION queries left out).</summary>
    private sealed class DelegateRecorder(IPluginExecutor inner) : IPluginExecutor
    {
        private readonly ConcurrentQueue<string> runs = new();

        public IReadOnlyList<string> Runs => [.. runs];

        public string Locate(string type, IReadOnlyList<string> binDirs) => inner.Locate(type, binDirs);

        public Task<byte[]> ExecuteAsync(PluginInvocation invocation, CancellationToken cancellationToken)
        {
            if (invocation.Command != "VERSION")
            {
                runs.Enqueue($"{invocation.Command} {JsonNode.Parse(invocation.Stdin.Span)!["name"]} {invocation.IfName}");
            }
            return inner.ExecuteAsync(invocation, cancellationToken);
        }
    }

    private static string? NetworkStatus(MetaPluginBed bed) =>
        (string?)bed.Sim.Get("v1", "Pod", bed.Namespace, "web")!["metadata"]!["annotations"]?["k8s.v1.cni.cncf.io/network-status"];
}
