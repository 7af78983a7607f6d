using System.Runtime.InteropServices;

namespace Plexus.Daemon.Protocol;

/// <summary>
/// The few libc socket calls the shim needs. System.Net.Sockets is not used in the shim: constructing any
/// <c>Socket</c> starts its epoll engine thread, and async I/O starts thread-pool workers; perf put a quarter
/// of the shim's CPU in starting those threads (sched_yield until they run) for one request and one answer.
/// </summary>
internal static unsafe partial class UnixSocketNative
{
    public const int AF_UNIX = 1;
    public const int SOCK_STREAM = 1;
    public const int SOCK_CLOEXEC = 0x80000;
    public const int SOL_SOCKET = 1;
    public const int SO_RCVTIMEO = 20;
    public const int SO_SNDTIMEO = 21;
    public const int MSG_NOSIGNAL = 0x4000;

    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EAGAIN = 11;
    public const int EACCES = 13;
    public const int ECONNREFUSED = 111;

    /// <summary><c>sizeof(sockaddr_un.sun_path)</c>, including the terminating NUL.</summary>
    public const int MaxPathBytes = 108;

    [StructLayout(LayoutKind.Sequential)]
    public struct Timeval
    {
        public long Seconds;
        public long Microseconds;
    }

    [LibraryImport("libc", SetLastError = true)]
    public static partial int socket(int domain, int type, int protocol);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int connect(int fd, byte* address, uint length);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int setsockopt(int fd, int level, int name, Timeval* value, uint length);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint send(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint recv(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport("libc")]
    public static partial int close(int fd);
}
