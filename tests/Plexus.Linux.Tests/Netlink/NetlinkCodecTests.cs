using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using Plexus.Linux.Netlink;

namespace Plexus.Linux.Tests.Netlink;

public sealed class NetlinkCodecTests
{
    [Fact]
    public void DumpRequest_GetLink_HasLengthTypeDumpFlagsAndSequence()
    {
        var request = NetlinkCodec.DumpRequest(NetlinkNative.RTM_GETLINK, 7, NetlinkNative.IfInfoMsgLength);

        Assert.Equal(32, request.Length);
        Assert.Equal(32u, MemoryMarshal.Read<uint>(request));
        Assert.Equal(NetlinkNative.RTM_GETLINK, MemoryMarshal.Read<ushort>(request.AsSpan(4)));
        Assert.Equal(0x301, MemoryMarshal.Read<ushort>(request.AsSpan(6)));
        Assert.Equal(7u, MemoryMarshal.Read<uint>(request.AsSpan(8)));
    }

    [Fact]
    public void ParseLink_AttributesWithNestedKind_ReturnsAllFields()
    {
        var body = new byte[16];
        MemoryMarshal.Write(body.AsSpan(4), 42);
        MemoryMarshal.Write(body.AsSpan(8), 1u);
        var payload = body
            .Concat(Attribute(NetlinkNative.IFLA_IFNAME, Encoding.UTF8.GetBytes("net1\0")))
            .Concat(Attribute(NetlinkNative.IFLA_ADDRESS, [0x0a, 0x58, 0x0a, 0x00, 0x00, 0x05]))
            .Concat(Attribute(NetlinkNative.IFLA_MTU, BitConverter.GetBytes(1450)))
            .Concat(Attribute(NetlinkNative.IFLA_MASTER, BitConverter.GetBytes(3)))
            .Concat(Attribute(NetlinkNative.IFLA_LINKINFO | 0x8000, Attribute(NetlinkNative.IFLA_INFO_KIND, Encoding.UTF8.GetBytes("macvlan\0"))))
            .ToArray();

        var link = NetlinkCodec.ParseLink(payload);

        Assert.Equal(42, link.Index);
        Assert.Equal("net1", link.Name);
        Assert.Equal("0A580A000005", link.Mac?.ToString());
        Assert.Equal(1450, link.Mtu);
        Assert.True(link.IsUp);
        Assert.Equal("macvlan", link.Kind);
        Assert.Equal(3, link.MasterIndex);
    }

    [Fact]
    public void ParseAddress_PointToPointWithLocalAndPeer_ReturnsLocal()
    {
        byte[] body = [2, 32, 0, 0, 9, 0, 0, 0];
        var payload = body
            .Concat(Attribute(NetlinkNative.IFA_ADDRESS, [10, 1, 1, 1]))
            .Concat(Attribute(NetlinkNative.IFA_LOCAL, [10, 1, 1, 2]))
            .ToArray();

        var address = NetlinkCodec.ParseAddress(payload);

        Assert.Equal(new AddressInfo(9, IPAddress.Parse("10.1.1.2"), 32), address);
    }

    [Fact]
    public void SplitMessages_TruncatedMessage_Throws()
    {
        var message = NetlinkCodec.DumpRequest(NetlinkNative.RTM_GETLINK, 1, 16);

        Assert.Throws<InvalidDataException>(() => NetlinkCodec.SplitMessages(message.AsSpan(0, 20)));
    }

    [Fact]
    public void SplitMessages_TwoMessages_ReturnsBothInOrder()
    {
        var data = NetlinkCodec.DumpRequest(NetlinkNative.RTM_GETLINK, 1, 16).Concat(NetlinkCodec.DumpRequest(NetlinkNative.RTM_GETADDR, 2, 8)).ToArray();

        var messages = NetlinkCodec.SplitMessages(data);

        Assert.Equal([(NetlinkNative.RTM_GETLINK, 1u, 16), (NetlinkNative.RTM_GETADDR, 2u, 8)], messages.Select(m => (m.Type, m.Sequence, m.Payload.Length)));
    }

    private static byte[] Attribute(int type, byte[] value)
    {
        var length = 4 + value.Length;
        var buffer = new byte[(length + 3) & ~3];
        MemoryMarshal.Write(buffer.AsSpan(0), (ushort)length);
        MemoryMarshal.Write(buffer.AsSpan(2), (ushort)type);
        value.CopyTo(buffer, 4);
        return buffer;
    }
}
