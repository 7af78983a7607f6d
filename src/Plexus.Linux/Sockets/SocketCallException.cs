using static Plexus.Linux.Errno;

namespace Plexus.Linux.Sockets;

/// <summary>A socket call failed: <see cref="Errno"/> says why (ECONNREFUSED, ETIMEDOUT, …).</summary>
public sealed class SocketCallException(int errno, string message) : IOException(message)
{
    public int Errno { get; } = errno;

    /// <summary>The deadline passed (the socket calls retry EAGAIN and EINTR themselves until it does).</summary>
    public bool IsTimeout => Errno == ETIMEDOUT;
}
