using System.Net;
using Plexus.Linux.Sockets;

namespace Plexus.Linux.Tests.Sockets;

public sealed class SocketAddressesTests
{
    [Fact]
    public void Tcp_IPv4_FamilyPortInNetworkOrderAddressPadding()
    {
        var bytes = SocketAddresses.Tcp(new IPEndPoint(IPAddress.Parse("10.1.2.3"), 6443));

        Assert.Equal(new byte[] { 2, 0, 0x19, 0x2b, 10, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0 }, bytes);
    }

    [Fact]
    public void Tcp_IPv6_FamilyPortFlowinfoAddressScope()
    {
        var bytes = SocketAddresses.Tcp(new IPEndPoint(IPAddress.Parse("fe80::1%3"), 443));

        Assert.Equal(28, bytes.Length);
        Assert.Equal(new byte[] { 10, 0, 0x01, 0xbb, 0, 0, 0, 0 }, bytes[..8]);
        Assert.Equal(IPAddress.Parse("fe80::1").GetAddressBytes(), bytes[8..24]);
        Assert.Equal(new byte[] { 3, 0, 0, 0 }, bytes[24..]);
    }

    [Fact]
    public void Unix_PathNulTerminatedAfterFamily()
    {
        var bytes = SocketAddresses.Unix("/run/p.sock");

        Assert.Equal(new byte[] { 1, 0 }, bytes[..2]);
        Assert.Equal("/run/p.sock\0", System.Text.Encoding.UTF8.GetString(bytes[2..]));
    }

    [Fact]
    public void Unix_PathOf107Bytes_FitsAnd108DoesNot()
    {
        Assert.Equal(2 + 107 + 1, SocketAddresses.Unix("/" + new string('a', 106)).Length);

        var error = Assert.Throws<SocketCallException>(() => SocketAddresses.Unix("/" + new string('a', 107)));
        Assert.Contains("108 bytes, longer than the 107", error.Message);
    }
}
