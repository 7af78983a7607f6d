using System.Net;
using System.Net.NetworkInformation;
using System.Runtime.InteropServices;
using System.Text;
using static Plexus.Linux.Netlink.NetlinkNative;

namespace Plexus.Linux.Netlink;

/// <summary>Pure encoding and decoding of rtnetlink messages (host byte order, 4-byte alignment).</summary>
internal static class NetlinkCodec
{
    /// <summary>One message of a reply: its type, sequence number and payload (after the 16-byte header).</summary>
    public readonly record struct Message(ushort Type, uint Sequence, byte[] Payload);

    public static byte[] DumpRequest(ushort type, uint sequence, int bodyLength, byte family = 0)
    {
        var buffer = new byte[HeaderLength + bodyLength];
        MemoryMarshal.Write(buffer.AsSpan(0), (uint)buffer.Length);
        MemoryMarshal.Write(buffer.AsSpan(4), type);
        MemoryMarshal.Write(buffer.AsSpan(6), (ushort)(NLM_F_REQUEST | NLM_F_DUMP));
        MemoryMarshal.Write(buffer.AsSpan(8), sequence);
        buffer[HeaderLength] = family;
        return buffer;
    }

    public static List<Message> SplitMessages(ReadOnlySpan<byte> data)
    {
        var messages = new List<Message>();
        while (data.Length >= HeaderLength)
        {
            var length = (int)MemoryMarshal.Read<uint>(data);
            if (length < HeaderLength || length > data.Length)
            {
                throw new InvalidDataException($"malformed netlink message: length {length} with {data.Length} bytes left");
            }
            messages.Add(new Message(MemoryMarshal.Read<ushort>(data[4..]), MemoryMarshal.Read<uint>(data[8..]), data[HeaderLength..length].ToArray()));
            data = data[Math.Min(Align(length), data.Length)..];
        }
        return messages;
    }

    /// <summary>The negative errno of an NLMSG_ERROR payload (0 is an acknowledgement).</summary>
    public static int ErrorCode(ReadOnlySpan<byte> payload) => payload.Length >= 4 ? MemoryMarshal.Read<int>(payload) : 0;

    public static LinkInfo ParseLink(ReadOnlySpan<byte> payload)
    {
        var index = MemoryMarshal.Read<int>(payload[4..]);
        var flags = MemoryMarshal.Read<uint>(payload[8..]);
        string name = "";
        PhysicalAddress? mac = null;
        int mtu = 0, master = 0;
        string? kind = null;
        foreach (var (type, value) in Attributes(payload[IfInfoMsgLength..]))
        {
            switch (type)
            {
                case IFLA_IFNAME: name = CString(value); break;
                case IFLA_ADDRESS: mac = new PhysicalAddress(value); break;
                case IFLA_MTU: mtu = MemoryMarshal.Read<int>(value); break;
                case IFLA_MASTER: master = MemoryMarshal.Read<int>(value); break;
                case IFLA_LINKINFO: kind = Attributes(value).Where(a => a.Type == IFLA_INFO_KIND).Select(a => CString(a.Value)).FirstOrDefault(); break;
            }
        }
        return new LinkInfo(index, name, mac, mtu, (flags & IFF_UP) != 0, kind, master);
    }

    public static AddressInfo? ParseAddress(ReadOnlySpan<byte> payload)
    {
        var prefixLength = payload[1];
        var index = MemoryMarshal.Read<int>(payload[4..]);
        byte[]? local = null, address = null;
        foreach (var (type, value) in Attributes(payload[IfAddrMsgLength..]))
        {
            if (type == IFA_LOCAL) local = value;
            else if (type == IFA_ADDRESS) address = value;
        }
        // On point-to-point links IFA_ADDRESS is the peer; IFA_LOCAL is the interface's own address.
        var own = local ?? address;
        return own is null ? null : new AddressInfo(index, new IPAddress(own), prefixLength);
    }

    private static List<(ushort Type, byte[] Value)> Attributes(ReadOnlySpan<byte> data)
    {
        var attributes = new List<(ushort, byte[])>();
        while (data.Length >= 4)
        {
            var length = MemoryMarshal.Read<ushort>(data);
            if (length < 4 || length > data.Length)
            {
                break;
            }
            // The top bits flag nested/byte-order attributes; the type is the rest.
            attributes.Add(((ushort)(MemoryMarshal.Read<ushort>(data[2..]) & 0x3fff), data[4..length].ToArray()));
            data = data[Math.Min(Align(length), data.Length)..];
        }
        return attributes;
    }

    private static string CString(ReadOnlySpan<byte> value)
    {
        var end = value.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? value : value[..end]);
    }

    private static int Align(int length) => (length + 3) & ~3;
}
