using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using static Plexus.Linux.Errno;
using static Plexus.Linux.Sockets.SocketNative;

namespace Plexus.Linux.Sockets;

/// <summary>
/// One connected stream socket used with blocking calls on the calling thread, every wait bounded
/// (the kernel's socket timeouts, re-armed in short slices so a cancellation is seen between them).
/// System.Net.Sockets is not used: constructing any <c>Socket</c> starts its epoll engine thread,
/// and its timeouts and async calls start thread-pool workers, which cost a one-shot CNI process
/// more CPU than its few requests.
/// </summary>
public sealed unsafe class BlockingSocket : IDisposable
{
    private static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(250);
    private int _fd;

    private BlockingSocket(int fd) => _fd = fd;

    /// <summary>A TCP connection with Nagle off and <see cref="TcpKeepAlive"/> on.</summary>
    /// <exception cref="SocketCallException">Refused, unreachable, or not connected within <paramref name="timeout"/>.</exception>
    public static BlockingSocket ConnectTcp(IPEndPoint endpoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var address = SocketAddresses.Tcp(endpoint);
        var socket = Open(endpoint.AddressFamily == AddressFamily.InterNetworkV6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK);
        try
        {
            socket.ConnectPolling(address, DeadlineAfter(timeout), cancellationToken);
            var on = 1;
            Check(setsockopt(socket._fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(int)), "setsockopt TCP_NODELAY");
            TcpKeepAlive.Enable(socket._fd);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A connection to a unix stream socket.</summary>
    /// <exception cref="SocketCallException">Missing, refused, or not connected within <paramref name="timeout"/>.</exception>
    public static BlockingSocket ConnectUnix(string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var address = SocketAddresses.Unix(path);
        var socket = Open(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC);
        try
        {
            socket.ConnectWaitingForBacklog(address, DeadlineAfter(timeout), cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The <see cref="Stopwatch"/> timestamp <paramref name="timeout"/> from now, for <see cref="Send"/> and <see cref="Receive"/>.
    /// A timeout too long to express is a deadline at the end of time.</summary>
    public static long DeadlineAfter(TimeSpan timeout)
    {
        // Ticks * Frequency overflows 64 bits above ~922 s (Frequency is 1e9 here), so it is done in 128.
        var deadline = Stopwatch.GetTimestamp() + (Int128)timeout.Ticks * Stopwatch.Frequency / TimeSpan.TicksPerSecond;
        return (long)Int128.Min(deadline, long.MaxValue);
    }

    /// <summary>Writes all of <paramref name="data"/>.</summary>
    /// <exception cref="SocketCallException">The peer did not take it before <paramref name="deadline"/> (a <see cref="Stopwatch"/> timestamp), or the connection failed.</exception>
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
    /// <exception cref="SocketCallException">Nothing arrived before <paramref name="deadline"/>, or the connection failed.</exception>
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

    private static BlockingSocket Open(int family, int type)
    {
        var fd = socket(family, type, 0);
        return fd >= 0 ? new BlockingSocket(fd) : throw Failure("socket");
    }

    // A unix socket's blocking connect waits for room in the listener's backlog for at most SO_SNDTIMEO, and a
    // connect that gave up (EAGAIN) left nothing behind, so it is simply tried again until the deadline.
    private void ConnectWaitingForBacklog(byte[] address, long deadline, CancellationToken cancellationToken)
    {
        fixed (byte* start = address)
        {
            while (true)
            {
                Arm(SO_SNDTIMEO, deadline, cancellationToken);
                if (connect(_fd, start, (uint)address.Length) == 0)
                {
                    return;
                }
                if (Marshal.GetLastPInvokeError() is not (EAGAIN or EINTR))
                {
                    throw Failure("connect");
                }
            }
        }
    }

    // A TCP connect in progress cannot be restarted: non-blocking connect, then poll(2) for completion in slices;
    // the socket blocks again afterwards.
    private void ConnectPolling(byte[] address, long deadline, CancellationToken cancellationToken)
    {
        fixed (byte* start = address)
        {
            if (connect(_fd, start, (uint)address.Length) != 0 && Marshal.GetLastPInvokeError() is not (EINPROGRESS or EINTR))
            {
                throw Failure("connect");
            }
        }
        var ready = new PollFd { Fd = _fd, Events = POLLOUT };
        while (true)
        {
            var polled = poll(&ready, 1, SliceMilliseconds(deadline, cancellationToken));
            if (polled > 0)
            {
                break;
            }
            if (polled < 0 && Marshal.GetLastPInvokeError() != EINTR)
            {
                throw Failure("poll");
            }
        }
        int error = 0;
        var length = (uint)sizeof(int);
        Check(getsockopt(_fd, SOL_SOCKET, SO_ERROR, &error, &length), "getsockopt SO_ERROR");
        if (error != 0)
        {
            throw new SocketCallException(error, $"connect: {Marshal.GetPInvokeErrorMessage(error)}");
        }
        Check(fcntl(_fd, F_SETFL, fcntl(_fd, F_GETFL, 0) & ~O_NONBLOCK), "fcntl");
    }

    private static int SliceMilliseconds(long deadline, CancellationToken cancellationToken)
    {
        var left = Left(deadline, cancellationToken);
        return (int)Math.Ceiling((left < Slice ? left : Slice).TotalMilliseconds);
    }

    /// <summary>Sets the next wait to what is left of the deadline, at most one slice.</summary>
    private void Arm(int option, long deadline, CancellationToken cancellationToken)
    {
        var left = Left(deadline, cancellationToken);
        // Zero would mean "wait for ever": the shortest real timeout is one microsecond.
        var micros = Math.Max(1, (long)((left < Slice ? left : Slice).Ticks / TimeSpan.TicksPerMicrosecond));
        var value = new Timeval { Seconds = micros / 1_000_000, Microseconds = micros % 1_000_000 };
        Check(setsockopt(_fd, SOL_SOCKET, option, &value, (uint)sizeof(Timeval)), "setsockopt");
    }

    private static TimeSpan Left(long deadline, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
        return left > TimeSpan.Zero ? left : throw new SocketCallException(ETIMEDOUT, "timed out");
    }

    internal static void Check(int result, string call)
    {
        if (result != 0)
        {
            throw Failure(call);
        }
    }

    private static SocketCallException Failure(string call)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new SocketCallException(errno, $"{call}: {Marshal.GetPInvokeErrorMessage(errno)}");
    }
}
