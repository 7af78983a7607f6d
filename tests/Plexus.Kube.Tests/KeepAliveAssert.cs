using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Plexus.Testing;

namespace Plexus.Kube.Tests;

/// <summary>
/// Every connection to the API server (or to its proxy) has TCP keepalive on, so one that died silently (a NAT or conntrack
/// entry dropped, the server's host gone) is found by the kernel rather than by the next request timing out. The client
/// socket is found among this process's descriptors by its peer's port and read back with getsockopt.
/// </summary>
internal static class KeepAliveAssert
{
    // client-go's dialer keeps alive after 30 s idle; a peer silent for three probes 10 s apart is dead.
    private const int IdleSeconds = 30;
    private const int IntervalSeconds = 10;
    private const int Probes = 3;

    private const int SOL_SOCKET = 1;
    private const int SO_KEEPALIVE = 9;
    private const int IPPROTO_TCP = 6;
    private const int TCP_KEEPIDLE = 4;
    private const int TCP_KEEPINTVL = 5;
    private const int TCP_KEEPCNT = 6;
    private const ushort AF_INET = 2;
    private const ushort AF_INET6 = 10;

    /// <summary>
    /// Every TCP socket of this process connected to <paramref name="serverPort"/> (there is at least one) keeps alive.
    /// Call it after a request: the connection stays open for the next one, so its socket is still there to read.
    /// </summary>
    public static void ClientConnectionsTo(int serverPort)
    {
        var clients = ClientSockets(serverPort);
        Assert.NotEmpty(clients);
        foreach (var fd in clients)
        {
            Assert.Equal((true, IdleSeconds, IntervalSeconds, Probes), (
                SocketOption(fd, SOL_SOCKET, SO_KEEPALIVE) != 0,
                SocketOption(fd, IPPROTO_TCP, TCP_KEEPIDLE),
                SocketOption(fd, IPPROTO_TCP, TCP_KEEPINTVL),
                SocketOption(fd, IPPROTO_TCP, TCP_KEEPCNT)));
        }
    }

    // The clients' ends: the server's own sockets have serverPort as their local port, not their peer's.
    private static List<int> ClientSockets(int serverPort) =>
        [.. OpenDescriptors.List()
            .Where(open => open.Target.StartsWith("socket:", StringComparison.Ordinal))
            .Select(open => open.Fd)
            .Where(fd => PeerPort(fd) == serverPort)];

    private static int? PeerPort(int fd)
    {
        var address = new byte[128];
        var length = (uint)address.Length;
        if (getpeername(fd, address, ref length) != 0)
        {
            return null;
        }
        var family = BinaryPrimitives.ReadUInt16LittleEndian(address);
        return family is AF_INET or AF_INET6 ? BinaryPrimitives.ReadUInt16BigEndian(address.AsSpan(2)) : null;
    }

    private static int SocketOption(int fd, int level, int name)
    {
        var length = (uint)sizeof(int);
        return getsockopt(fd, level, name, out var value, ref length) == 0
            ? value
            : throw new IOException($"getsockopt({fd}, {level}, {name}): errno {Marshal.GetLastPInvokeError()}");
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int getpeername(int fd, [Out] byte[] address, ref uint length);

    [DllImport("libc", SetLastError = true)]
    private static extern int getsockopt(int fd, int level, int name, out int value, ref uint length);
}
