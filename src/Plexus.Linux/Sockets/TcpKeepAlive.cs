using System.Runtime.InteropServices;
using static Plexus.Linux.Sockets.SocketNative;

namespace Plexus.Linux.Sockets;

/// <summary>
/// TCP keepalive for connections to the API server (or its proxy): a connection that died silently (a NAT or conntrack
/// entry dropped, the server's host gone) is reset by the kernel once its probes go unanswered, so a pooled connection
/// or a quiet watch fails and is replaced instead of a request waiting out its timeout on it. client-go's dialer probes
/// after 30 s idle as well; three probes 10 s apart (Linux's default is nine, 75 s apart) find a dead peer about a
/// minute after the last traffic.
/// </summary>
public static unsafe class TcpKeepAlive
{
    public static readonly TimeSpan Idle = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    public const int Probes = 3;

    /// <summary>Turns keepalive on for a System.Net.Sockets socket (SocketsHttpHandler's connections).</summary>
    /// <exception cref="SocketCallException">A setsockopt failed.</exception>
    public static void Enable(SafeHandle socket)
    {
        var added = false;
        socket.DangerousAddRef(ref added);
        try
        {
            Enable((int)socket.DangerousGetHandle());
        }
        finally
        {
            if (added)
            {
                socket.DangerousRelease();
            }
        }
    }

    /// <exception cref="SocketCallException">A setsockopt failed.</exception>
    internal static void Enable(int fd)
    {
        Set(fd, SOL_SOCKET, SO_KEEPALIVE, 1, "SO_KEEPALIVE");
        Set(fd, IPPROTO_TCP, TCP_KEEPIDLE, (int)Idle.TotalSeconds, "TCP_KEEPIDLE");
        Set(fd, IPPROTO_TCP, TCP_KEEPINTVL, (int)Interval.TotalSeconds, "TCP_KEEPINTVL");
        Set(fd, IPPROTO_TCP, TCP_KEEPCNT, Probes, "TCP_KEEPCNT");
    }

    private static void Set(int fd, int level, int option, int value, string name) =>
        BlockingSocket.Check(setsockopt(fd, level, option, &value, sizeof(int)), "setsockopt " + name);
}
