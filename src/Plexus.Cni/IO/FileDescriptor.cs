using System.Runtime.InteropServices;

namespace Plexus.Cni.IO;

/// <summary>
/// Plain read(2)/write(2) on a file descriptor, at the descriptor's own file offset. FileStream instead
/// reads and writes a seekable file at a position it keeps itself (pread/pwrite), which leaves the offset
/// shared with other holders of the descriptor (the shell that redirected stdout) where it was.
/// </summary>
internal static unsafe partial class FileDescriptor
{
    private const int EINTR = 4;

    /// <summary>Writes all of <paramref name="content"/>, retrying partial writes and EINTR; 0, or the errno of the failure.</summary>
    public static int WriteAll(int fd, ReadOnlySpan<byte> content)
    {
        fixed (byte* start = content)
        {
            var written = 0;
            while (written < content.Length)
            {
                var n = write(fd, start + written, (nuint)(content.Length - written));
                if (n >= 0)
                {
                    written += (int)n;
                }
                else if (Marshal.GetLastPInvokeError() is var errno and not EINTR)
                {
                    return errno;
                }
            }
        }
        return 0;
    }

    /// <summary>Reads at most <paramref name="buffer"/>'s length, retrying EINTR: the count (0 at end of file), or -errno.</summary>
    public static int Read(int fd, Span<byte> buffer)
    {
        fixed (byte* start = buffer)
        {
            while (true)
            {
                var n = read(fd, start, (nuint)buffer.Length);
                if (n >= 0)
                {
                    return (int)n;
                }
                if (Marshal.GetLastPInvokeError() is var errno and not EINTR)
                {
                    return -errno;
                }
            }
        }
    }

    public static bool IsTerminal(int fd) => isatty(fd) == 1;

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint write(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint read(int fd, byte* buffer, nuint count);

    [LibraryImport("libc")]
    private static partial int isatty(int fd);
}
