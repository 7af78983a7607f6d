using static Plexus.Linux.Errno;

namespace Plexus.Linux.Sockets;

/// <summary>A socket call failed: <see cref="Errno"/> says why (ECONNREFUSED, ETIMEDOUT, …).</summary>
public sealed class SocketCallException(int errno, string message) : IOException(message)
{
    public int Errno { get; } = errno;

    public bool IsTimeout => Errno is ETIMEDOUT or EAGAIN or EINPROGRESS;
}
