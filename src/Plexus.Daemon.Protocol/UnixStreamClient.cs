using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using static Plexus.Daemon.Protocol.UnixSocketNative;

namespace Plexus.Daemon.Protocol;

/// <summary>A call on the socket failed: <see cref="Errno"/> says why (ENOENT, ECONNREFUSED, EAGAIN for a timeout, …).</summary>
internal sealed class UnixSocketException(int errno, string message) : IOException(message)
{
    public int Errno { get; } = errno;
}

/// <summary>
/// One blocking stream connection to a unix socket on the calling thread, every wait bounded by the kernel's
/// socket timeouts (re-armed in short slices so a cancellation is seen between them).
/// </summary>
internal sealed unsafe class UnixStreamClient : IDisposable
{
    private static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(250);
    private int _fd;

    private UnixStreamClient(int fd) => _fd = fd;

    /// <exception cref="UnixSocketException">The connect failed or did not complete within <paramref name="timeout"/> (EAGAIN).</exception>
    public static UnixStreamClient Connect(string socketPath, TimeSpan timeout)
    {
        var path = Encoding.UTF8.GetBytes(socketPath);
        if (path.Length >= MaxPathBytes)
        {
            throw new UnixSocketException(0, $"socket path is {path.Length} bytes, longer than the {MaxPathBytes - 1} a unix socket allows");
        }
        var fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            throw Failure("socket");
        }
        var client = new UnixStreamClient(fd);
        try
        {
            // sockaddr_un: sa_family_t, then the NUL-terminated path.
            var address = stackalloc byte[2 + MaxPathBytes];
            new Span<byte>(address, 2 + MaxPathBytes).Clear();
            *(ushort*)address = AF_UNIX;
            path.CopyTo(new Span<byte>(address + 2, path.Length));
            // A blocking connect to a unix socket waits for room in the listener's backlog for at most SO_SNDTIMEO.
            client.SetTimeout(SO_SNDTIMEO, timeout);
            while (connect(fd, address, (uint)(2 + path.Length + 1)) != 0)
            {
                if (Marshal.GetLastPInvokeError() != EINTR)
                {
                    throw Failure("connect");
                }
            }
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Writes all of <paramref name="data"/>.</summary>
    /// <exception cref="TimeoutException">The peer did not take it before <paramref name="deadline"/>.</exception>
    public void Send(ReadOnlySpan<byte> data, long deadline, CancellationToken cancellationToken)
    {
        fixed (byte* start = data)
        {
            var sent = 0;
            while (sent < data.Length)
            {
                Arm(SO_SNDTIMEO, deadline, cancellationToken);
                var n = send(_fd, start + sent, (nuint)(data.Length - sent), MSG_NOSIGNAL);
                if (n >= 0)
                {
                    sent += (int)n;
                }
                else if (Marshal.GetLastPInvokeError() is not (EINTR or EAGAIN))
                {
                    throw Failure("send");
                }
            }
        }
    }

    /// <summary>Reads what is there (at least one byte), or 0 at the end of the stream.</summary>
    /// <exception cref="TimeoutException">Nothing arrived before <paramref name="deadline"/>.</exception>
    public int Receive(Span<byte> buffer, long deadline, CancellationToken cancellationToken)
    {
        fixed (byte* start = buffer)
        {
            while (true)
            {
                Arm(SO_RCVTIMEO, deadline, cancellationToken);
                var n = recv(_fd, start, (nuint)buffer.Length, 0);
                if (n >= 0)
                {
                    return (int)n;
                }
                if (Marshal.GetLastPInvokeError() is not (EINTR or EAGAIN))
                {
                    throw Failure("recv");
                }
            }
        }
    }

    public void Dispose()
    {
        if (_fd >= 0)
        {
            _ = close(_fd);
            _fd = -1;
        }
    }

    /// <summary>Sets the next wait to what is left of the deadline, at most one slice; throws once nothing is left.</summary>
    private void Arm(int option, long deadline, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
        if (left <= TimeSpan.Zero)
        {
            throw new TimeoutException();
        }
        SetTimeout(option, left < Slice ? left : Slice);
    }

    private void SetTimeout(int option, TimeSpan timeout)
    {
        // Zero would mean "wait for ever": the shortest real timeout is one microsecond.
        var micros = Math.Max(1, (long)(timeout.Ticks / TimeSpan.TicksPerMicrosecond));
        var value = new Timeval { Seconds = micros / 1_000_000, Microseconds = micros % 1_000_000 };
        if (setsockopt(_fd, SOL_SOCKET, option, &value, (uint)sizeof(Timeval)) != 0)
        {
            throw Failure("setsockopt");
        }
    }

    private static UnixSocketException Failure(string call)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new UnixSocketException(errno, $"{call}: {Marshal.GetPInvokeErrorMessage(errno)}");
    }
}
