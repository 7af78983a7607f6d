using Plexus.Core.Ports;
using Plexus.Kubelet.PodResources;
using Plexus.Testing.Kubelet;

namespace Plexus.Kubelet.Tests.PodResources;

public sealed class PodResourcesMessagesTests
{
    [Fact]
    public void GetRequest_PodNameField1NamespaceField2()
    {
        var request = PodResourcesMessages.GetRequest(new PodRef("team-a", "web-0"));

        Assert.Equal([(1, "web-0"), (2, "team-a")], ProtoBuilder.Strings(request));
    }

    [Fact]
    public void ListRequest_Empty()
    {
        Assert.Empty(PodResourcesMessages.ListRequest());
    }

    [Fact]
    public void ReadGetResponse_ContainersInOrder_DevicesPerContainerUnknownFieldsSkipped()
    {
        var pod = PodResourcesProto.Pod("web-0", "team-a",
            ("app", [("intel.com/sriov", ["0000:03:00.2", "0000:03:00.3"]), ("nvidia.com/gpu", ["GPU-1"])]),
            ("sidecar", [("intel.com/sriov", ["0000:03:00.4"])]));

        var entry = PodResourcesMessages.ReadGetResponse(PodResourcesProto.GetResponse(pod))!;

        Assert.Equal(("web-0", "team-a"), (entry.Name, entry.Namespace));
        Assert.Equal(
            ["intel.com/sriov=0000:03:00.2,0000:03:00.3", "nvidia.com/gpu=GPU-1", "intel.com/sriov=0000:03:00.4"],
            entry.Devices.Select(Text));
    }

    [Fact]
    public void ReadGetResponse_Empty_NoPod()
    {
        Assert.Null(PodResourcesMessages.ReadGetResponse([]));
    }

    [Fact]
    public void ReadGetResponse_PodFieldTwice_MergedAsProto3Does()
    {
        var data = new ProtoBuilder()
            .Message(1, PodResourcesProto.Pod("web-0", "team-a", ("app", [("r/x", ["1"])])))
            .Message(1, new ProtoBuilder().Message(3, new ProtoBuilder().Message(2, new ProtoBuilder().String(1, "r/y").String(2, "2"))))
            .ToArray();

        var entry = PodResourcesMessages.ReadGetResponse(data)!;

        Assert.Equal(("web-0", "team-a"), (entry.Name, entry.Namespace));
        Assert.Equal(["r/x=1", "r/y=2"], entry.Devices.Select(Text));
    }

    [Fact]
    public void ReadListResponse_SeveralPods_AllRead()
    {
        var data = PodResourcesProto.ListResponse(
            PodResourcesProto.Pod("a", "ns1", ("c", [("r/x", ["1"])])),
            PodResourcesProto.Pod("b", "ns2"));

        var pods = PodResourcesMessages.ReadListResponse(data);

        Assert.Equal(["ns1/a:r/x=1", "ns2/b:"], pods.Select(p => $"{p.Namespace}/{p.Name}:{string.Join(";", p.Devices.Select(Text))}"));
    }

    [Fact]
    public void ReadGetResponse_DeviceIdsAsVarint_MalformedNamesTheMessage()
    {
        var data = new ProtoBuilder().Message(1, new ProtoBuilder().Message(3, new ProtoBuilder().Message(2, new ProtoBuilder().Varint(2, 7)))).ToArray();

        var error = Assert.Throws<InvalidDataException>(() => PodResourcesMessages.ReadGetResponse(data));

        Assert.Contains("malformed ContainerDevices", error.Message);
        Assert.Contains("field 2 has wire type Varint", error.Message);
    }

    [Fact]
    public void ReadListResponse_TruncatedInnerMessage_Malformed()
    {
        var data = PodResourcesProto.ListResponse(PodResourcesProto.Pod("a", "ns1", ("c", [("r/x", ["1"])])));

        Assert.Throws<InvalidDataException>(() => PodResourcesMessages.ReadListResponse(data[..^3]));
    }

    private static string Text(AllocatedDevices d) => $"{d.ResourceName}={string.Join(",", d.DeviceIds)}";
}
