using System.Text;
using System.Text.Json.Nodes;
using Plexus.Cni;
using Plexus.Cni.Skel;
using Plexus.Core.Netns;
using Plexus.Core.Routes;
using Plexus.Core.Service;
using Plexus.Kube;
using Plexus.Kubelet;
using Plexus.KubeSim;
using Plexus.Testing;
using Plexus.Testing.Kubelet;

namespace Plexus.Integration.Tests.Kubelet;

/// <summary>
/// The meta-plugin with NADs naming a device-plugin resource, end to end: NADs and the pod in the
/// API simulator, devices from a fake kubelet over gRPC on a unix socket, delegates recorded.
/// </summary>
public sealed class DeviceIdEndToEndTests : IAsyncLifetime
{
    private const string Sriov = "intel.com/sriov";
    private readonly string dir = Directory.CreateTempSubdirectory("plexus-devices-").FullName;
    private readonly RecordingPluginExecutor executor = new RecordingPluginExecutor().WithPlugin("bridge").WithPlugin("sriov");
    private KubeSimServer sim = null!;
    private FakeKubelet kubelet = null!;
    private string ns = null!;

    public async Task InitializeAsync()
    {
        sim = await KubeSimServer.StartAsync();
        kubelet = await FakeKubelet.StartAsync();
        ns = "pods-" + Guid.NewGuid().ToString("N")[..8];
        sim.CreateNamespace(ns);
        executor.Answer("bridge", "ADD", """{"cniVersion":"1.0.0","interfaces":[{"name":"eth0","sandbox":"/ns"}],"ips":[{"address":"10.0.0.5/24","interface":0}]}""");
        executor.Answer("sriov", "ADD", call => $$"""{"cniVersion":"1.0.0","interfaces":[{"name":"{{call.Invocation.IfName}}","sandbox":"/ns"}]}""");
        foreach (var name in new[] { "sriov-a", "sriov-b" })
        {
            sim.CreateNetworkAttachmentDefinition(ns, name,
                """{"cniVersion":"1.0.0","type":"sriov","capabilities":{"deviceID":true}}""",
                new Dictionary<string, string> { ["k8s.v1.cni.cncf.io/resourceName"] = Sriov });
        }
    }

    public async Task DisposeAsync()
    {
        await kubelet.DisposeAsync();
        await sim.DisposeAsync();
        Directory.Delete(dir, recursive: true);
    }

    private Core.Service.MetaPlugin Plugin(KubeletPodResourcesClient podResources) => new(new MetaPluginHost
    {
        Executor = executor,
        ConnectKubernetes = path => KubeConnection.TryCreate(path, _ => null, TimeProvider.System),
        PodResources = podResources,
        DeviceInfoDir = Path.Combine(dir, "devinfo"),
        PodNetwork = new NoLinks(),
    });

    private CniInvocation Invocation(string command, string uid) => CniInvocation.Create(new Dictionary<string, string>
    {
        ["CNI_COMMAND"] = command,
        ["CNI_CONTAINERID"] = "c1",
        ["CNI_NETNS"] = "/ns",
        ["CNI_IFNAME"] = "eth0",
        ["CNI_PATH"] = RecordingPluginExecutor.BinDir,
        ["CNI_ARGS"] = $"IgnoreUnknown=1;K8S_POD_NAMESPACE={ns};K8S_POD_NAME=web;K8S_POD_UID={uid}",
    }, Encoding.UTF8.GetBytes($$"""
        {"cniVersion":"1.0.0","name":"plexus-net","type":"plexus","kubeconfig":"{{sim.WriteKubeconfig(Path.Combine(dir, "kubeconfig"))}}",
         "cniDir":"{{dir}}/multus","binDir":"{{RecordingPluginExecutor.BinDir}}",
         "delegates":[{"cniVersion":"1.0.0","name":"cbr0","type":"bridge"}]}
        """));

    private string CreatePod(string networks) =>
        (string)sim.CreatePod(ns, "web", annotations: new Dictionary<string, string> { ["k8s.v1.cni.cncf.io/networks"] = networks })["metadata"]!["uid"]!;

    [Fact]
    public async Task Add_ThreeAttachmentsOfOneResource_EachGetsTheNextKubeletDeviceThenDelCleansUp()
    {
        var uid = CreatePod("sriov-a,sriov-b,sriov-a@third");
        kubelet.Get = (podNs, name) => KubeletReply.Error(2, "PodResources API Get method disabled");
        kubelet.List = () => KubeletReply.Ok(PodResourcesProto.ListResponse(
            PodResourcesProto.Pod("web", "elsewhere", ("app", [(Sriov, ["0000:09:00.0"])])),
            PodResourcesProto.Pod("web", ns, ("app", [(Sriov, ["0000:03:00.2", "0000:03:00.3"]), ("nvidia.com/gpu", ["GPU-1"])]), ("sidecar", [(Sriov, ["0000:03:00.4"])]))));
        using var podResources = new KubeletPodResourcesClient(kubelet.SocketPath);

        var result = await Plugin(podResources).AddAsync(Invocation("ADD", uid), CancellationToken.None);

        Assert.Equal([$"Get {ns}/web", "List"], kubelet.Calls);
        var adds = executor.Calls.Where(c => c.Invocation.Command == "ADD" && c.Type == "sriov").ToList();
        Assert.Equal(["net1", "net2", "third"], adds.Select(c => c.Invocation.IfName));
        Assert.Equal(["0000:03:00.2", "0000:03:00.3", "0000:03:00.4"], adds.Select(c => (string?)c.Config!["runtimeConfig"]!["deviceID"]));
        Assert.Equal(["0000:03:00.2", "0000:03:00.3", "0000:03:00.4"], adds.Select(c => (string?)c.Config!["deviceID"]));
        Assert.Equal(["0000:03:00.2", "0000:03:00.3", "0000:03:00.4"], adds.Select(c => (string?)c.Config!["pciBusID"]));
        Assert.Equal("10.0.0.5/24", ((Cni.Results.Result100)result).Ips.Single().Address);
        var status = JsonNode.Parse((string)sim.Get("v1", "Pod", ns, "web")!["metadata"]!["annotations"]!["k8s.v1.cni.cncf.io/network-status"]!)!.AsArray();
        Assert.Equal(["eth0", "net1", "net2", "third"], status.Select(s => (string?)s!["interface"]));

        await Plugin(podResources).DelAsync(Invocation("DEL", uid), CancellationToken.None);

        Assert.Equal(["sriov", "sriov", "sriov", "bridge"], executor.Calls.Where(c => c.Invocation.Command == "DEL").Select(c => c.Type));
        Assert.Equal(["0000:03:00.4", "0000:03:00.3", "0000:03:00.2"],
            executor.Calls.Where(c => c.Invocation.Command == "DEL" && c.Type == "sriov").Select(c => (string?)c.Config!["runtimeConfig"]!["deviceID"]));
        Assert.Equal(2, kubelet.Calls.Count);
    }

    [Fact]
    public async Task Add_KubeletGone_ErrorNamesResourceAndSocketClusterNetworkUndone()
    {
        var uid = CreatePod("sriov-a");
        var socket = kubelet.SocketPath;
        await kubelet.DisposeAsync();
        kubelet = await FakeKubelet.StartAsync();
        using var podResources = new KubeletPodResourcesClient(socket);

        var error = await Assert.ThrowsAsync<CniException>(() => Plugin(podResources).AddAsync(Invocation("ADD", uid), CancellationToken.None));

        Assert.Equal(CniErrorCode.TryAgainLater, error.Code);
        Assert.StartsWith($"pod {ns}/web: network {ns}/sriov-a needs a device of resource {Sriov}: cannot reach the kubelet pod-resources API at {socket}: the socket does not exist", error.Message);
        // The kubelet is asked while the cluster network's delegate runs (that one needs no device), so it is undone.
        Assert.Equal(["bridge ADD", "bridge DEL"], executor.CallSummary.Where(c => c.EndsWith("ADD") || c.EndsWith("DEL")));
    }

    private sealed class NoLinks : IPodNetwork
    {
        public Task<IReadOnlySet<string>> InterfaceNamesAsync(string netnsPath, CancellationToken cancellationToken) => Task.FromResult<IReadOnlySet<string>>(new HashSet<string>());

        public Task ApplyDefaultRoutesAsync(string netnsPath, IReadOnlyList<DefaultRouteChange> changes, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
