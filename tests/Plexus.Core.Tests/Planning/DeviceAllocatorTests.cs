using System.Text.Json.Nodes;
using Plexus.Cni;
using Plexus.Core.Planning;
using Plexus.Core.Ports;

namespace Plexus.Core.Tests.Planning;

public sealed class DeviceAllocatorTests
{
    private static readonly PodRef Pod = new("pods", "web");

    private static NetworkRequest Net(string name, string? resource) =>
        new(DelegateNetwork.Create(JsonNode.Parse("""{"type":"sriov"}""")!.AsObject(), name, name.Split('/')[^1], resource), null);

    [Fact]
    public void Assign_SameResourceTwice_NextUnusedDeviceAcrossContainersInOrder()
    {
        var requests = new[] { Net("cluster", null), Net("pods/a", "intel.com/sriov"), Net("pods/gpu", "nvidia.com/gpu"), Net("pods/b", "intel.com/sriov") };
        var devices = new AllocatedDevices[]
        {
            new("intel.com/sriov", ["0000:03:00.2"]),
            new("nvidia.com/gpu", ["GPU-7"]),
            new("intel.com/sriov", ["0000:03:00.3", "0000:03:00.4"]),
        };

        var assigned = DeviceAllocator.Assign(requests, devices, Pod);

        Assert.Equal([null, "0000:03:00.2", "GPU-7", "0000:03:00.3"], assigned);
    }

    [Fact]
    public void Assign_MoreNetworksThanDevices_ErrorNamesPodNetworkResourceAndCount()
    {
        var requests = new[] { Net("pods/a", "intel.com/sriov"), Net("pods/b", "intel.com/sriov") };

        var error = Assert.Throws<CniException>(() => DeviceAllocator.Assign(requests, [new("intel.com/sriov", ["0000:03:00.2"])], Pod));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Equal("pod pods/web: network pods/b needs a device of resource intel.com/sriov, but the kubelet allocated the pod 1 and earlier networks took them all", error.Message);
    }

    [Fact]
    public void Assign_ResourceNotAllocated_Error()
    {
        var error = Assert.Throws<CniException>(() => DeviceAllocator.Assign([Net("pods/a", "intel.com/sriov")], [new("other/x", ["1"])], Pod));

        Assert.Contains("allocated the pod 0", error.Message);
        Assert.Contains("limits", error.Details);
    }

    [Fact]
    public void AnyNeeded_OnlyWhenSomeNetworkNamesAResource()
    {
        Assert.False(DeviceAllocator.AnyNeeded([Net("a", null), Net("b", null)]));
        Assert.True(DeviceAllocator.AnyNeeded([Net("a", null), Net("b", "r/x")]));
    }
}
