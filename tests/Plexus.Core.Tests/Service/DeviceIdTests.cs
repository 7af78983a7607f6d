using System.Text.Json.Nodes;
using Plexus.Cni;
using Plexus.Core.Ports;

namespace Plexus.Core.Tests.Service;

/// <summary>NADs naming a device-plugin resource: device ids from the kubelet port into the delegates, device-info into network-status.</summary>
public sealed class DeviceIdTests : IDisposable
{
    private const string Sriov = "intel.com/sriov";
    private readonly MetaPluginRig rig = new();
    private readonly FakePodResources kubelet = new();

    public DeviceIdTests()
    {
        rig.PodResources = kubelet;
        rig.Executor.WithPlugin("sriov").WithPlugin("tuning");
        rig.Kube.Nads[("pods", "sriov-a")] = Nad("sriov-a", """{"cniVersion":"1.0.0","plugins":[{"type":"sriov","capabilities":{"deviceID":true,"CNIDeviceInfoFile":true}},{"type":"tuning"}]}""");
        rig.Kube.AddNad("pods", "plain", """{"cniVersion":"1.0.0","type":"macvlan"}""");
        kubelet.Devices = [new(Sriov, ["0000:03:00.2"]), new("nvidia.com/gpu", ["GPU-1"]), new(Sriov, ["0000:03:00.3"])];
    }

    public void Dispose() => rig.Dispose();

    private static NetworkAttachmentDefinition Nad(string name, string config) => new()
    {
        Namespace = "pods",
        Name = name,
        Config = config,
        Annotations = new Dictionary<string, string> { [NetworkAttachmentDefinition.ResourceNameAnnotation] = Sriov },
    };

    private string DevicePluginFile(string deviceId)
    {
        var dp = Path.Combine(rig.DeviceInfoDir, "dp");
        Directory.CreateDirectory(dp);
        var path = Path.Combine(dp, $"intel.com-sriov-{deviceId}-device.json");
        File.WriteAllText(path, $$$"""{"type":"pci","version":"1.1.0","pci":{"pci-address":"{{{deviceId}}}"}}""");
        return path;
    }

    [Fact]
    public async Task Add_TwoAttachmentsOfOneResource_EachItsOwnDeviceInConfAndCapabilityOnlyWhereDeclared()
    {
        rig.Annotate("sriov-a,plain,sriov-a@second");

        await rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", rig.Config()), CancellationToken.None);

        Assert.Equal([MetaPluginRig.Pod], kubelet.Asked);
        var adds = rig.Runs("ADD").Select(c => (c.Type, c.Invocation.IfName, Conf: c.Config!)).ToList();
        Assert.Equal(["bridge eth0", "sriov net1", "tuning net1", "macvlan net2", "sriov second", "tuning second"], adds.Select(a => $"{a.Type} {a.IfName}"));
        Assert.Equal(["0000:03:00.2", "0000:03:00.2", null, "0000:03:00.3", "0000:03:00.3"], adds.Skip(1).Select(a => (string?)a.Conf["deviceID"]));
        Assert.Equal("0000:03:00.3", (string?)adds[4].Conf["pciBusID"]);
        var sriovRuntime = adds[1].Conf["runtimeConfig"]!.AsObject();
        Assert.Equal("0000:03:00.2", (string?)sriovRuntime["deviceID"]);
        Assert.Equal(Path.Combine(rig.DeviceInfoDir, "cni", "pods-sriov-a-c1_net1"), (string?)sriovRuntime["CNIDeviceInfoFile"]);
        Assert.Null(adds[2].Conf["runtimeConfig"]);
    }

    [Fact]
    public async Task Add_DevicePluginWroteInfo_CopiedForTheDelegateAndInNetworkStatusThenDelRemovesIt()
    {
        rig.Annotate("sriov-a");
        DevicePluginFile("0000:03:00.2");
        var attachmentFile = Path.Combine(rig.DeviceInfoDir, "cni", "pods-sriov-a-c1_net1");

        await rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", rig.Config()), CancellationToken.None);

        Assert.True(File.Exists(attachmentFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(attachmentFile));
        var status = JsonNode.Parse(Assert.Single(rig.Kube.StatusWrites))!.AsArray();
        Assert.Null(status[0]!["device-info"]);
        Assert.Equal("""{"type":"pci","version":"1.1.0","pci":{"pci-address":"0000:03:00.2"}}""", status[1]!["device-info"]!.ToJsonString());

        await rig.Plugin(kubernetes: false).DelAsync(MetaPluginRig.Invocation("DEL", rig.Config()), CancellationToken.None);

        Assert.False(File.Exists(attachmentFile));
        Assert.True(File.Exists(Path.Combine(rig.DeviceInfoDir, "dp", "intel.com-sriov-0000:03:00.2-device.json")));
    }

    [Fact]
    public async Task Add_NoDevicePluginInfo_StatusWithoutDeviceInfo()
    {
        rig.Annotate("sriov-a");

        await rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", rig.Config()), CancellationToken.None);

        Assert.All(JsonNode.Parse(Assert.Single(rig.Kube.StatusWrites))!.AsArray(), s => Assert.Null(s!["device-info"]));
    }

    [Fact]
    public async Task Add_NoNetworkNamesAResource_KubeletNotAsked()
    {
        rig.Annotate("plain");

        await rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", rig.Config()), CancellationToken.None);

        Assert.Empty(kubelet.Asked);
    }

    [Fact]
    public async Task Add_MoreAttachmentsThanDevices_ErrorClusterNetworkUndoneNothingCached()
    {
        rig.Annotate("sriov-a,sriov-a@second,sriov-a@third");

        var error = await Assert.ThrowsAsync<CniException>(() => rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", rig.Config()), CancellationToken.None));

        Assert.Contains("network pods/sriov-a needs a device of resource intel.com/sriov, but the kubelet allocated the pod 2", error.Message);
        AssertOnlyClusterNetworkRanAndWasUndone();
        Assert.False(File.Exists(rig.CacheFile));
    }

    [Fact]
    public async Task Add_KubeletFails_ErrorNamesPodNetworkResourceAndKeepsKubeletReason()
    {
        rig.Annotate("sriov-a");
        kubelet.Failure = new CniException(CniErrorCode.TryAgainLater, "cannot reach the kubelet pod-resources API at /x/kubelet.sock: nothing listens");

        var error = await Assert.ThrowsAsync<CniException>(() => rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", rig.Config()), CancellationToken.None));

        Assert.Equal(CniErrorCode.TryAgainLater, error.Code);
        Assert.Equal("pod pods/web: network pods/sriov-a needs a device of resource intel.com/sriov: cannot reach the kubelet pod-resources API at /x/kubelet.sock: nothing listens", error.Message);
        AssertOnlyClusterNetworkRanAndWasUndone();
    }

    [Fact]
    public async Task Add_NoPodResourcesClient_ClearError()
    {
        rig.Annotate("sriov-a");
        rig.PodResources = null;

        var error = await Assert.ThrowsAsync<CniException>(() => rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", rig.Config()), CancellationToken.None));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains("needs a device of resource intel.com/sriov, but this plexus has no kubelet pod-resources client", error.Message);
        AssertOnlyClusterNetworkRanAndWasUndone();
        Assert.False(File.Exists(rig.CacheFile));
    }

    // The kubelet is asked while the cluster network's delegate runs (it needs no device), so a failure undoes that one.
    private void AssertOnlyClusterNetworkRanAndWasUndone() =>
        Assert.Equal(["ADD cbr0 eth0", "DEL cbr0 eth0"], rig.Executor.Calls
            .Where(c => c.Invocation.Command is "ADD" or "DEL")
            .Select(c => $"{c.Invocation.Command} {c.Invocation.NetworkName} {c.Invocation.IfName}"));

    private sealed class FakePodResources : IPodResourcesClient
    {
        public IReadOnlyList<AllocatedDevices> Devices { get; set; } = [];

        public CniException? Failure { get; set; }

        public List<PodRef> Asked { get; } = [];

        public string Endpoint => "/fake/kubelet.sock";

        public Task<IReadOnlyList<AllocatedDevices>> GetPodDevicesAsync(PodRef pod, CancellationToken cancellationToken)
        {
            Asked.Add(pod);
            return Failure is null ? Task.FromResult(Devices) : Task.FromException<IReadOnlyList<AllocatedDevices>>(Failure);
        }
    }
}
