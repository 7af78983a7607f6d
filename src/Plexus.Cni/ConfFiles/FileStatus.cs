using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Plexus.Cni.ConfFiles;

/// <summary>
/// The file type .NET does not expose (FIFO, socket, device vs regular), through statx, whose
/// layout is the same on every Linux architecture (unlike struct stat).
/// </summary>
internal static partial class FileStatus
{
    private const int O_RDONLY = 0;
    private const int O_NONBLOCK = 0x800;
    private const int O_CLOEXEC = 0x80000;
    private const int AT_EMPTY_PATH = 0x1000;
    private const uint STATX_TYPE = 0x1;
    private const uint STATX_SIZE = 0x200;
    private const int StatxBufferSize = 256;
    private const int ModeOffset = 28;
    private const int SizeOffset = 40;

    /// <summary>An fd opened read-only and non-blocking (a FIFO does not wait for a writer), or -errno.</summary>
    public static int OpenReadNonBlocking(string path)
    {
        var fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        return fd >= 0 ? fd : -Marshal.GetLastPInvokeError();
    }

    /// <summary>The kind of the open file ("regular file", "directory", "FIFO"...) and its size.</summary>
    public static (string Kind, long Size) Describe(SafeFileHandle handle)
    {
        Span<byte> buffer = stackalloc byte[StatxBufferSize];
        buffer.Clear();
        int rc;
        unsafe
        {
            fixed (byte* p = buffer)
            {
                rc = statx((int)handle.DangerousGetHandle(), "", AT_EMPTY_PATH, STATX_TYPE | STATX_SIZE, p);
            }
        }
        if (rc != 0)
        {
            return ("unknown (statx errno " + Marshal.GetLastPInvokeError() + ")", 0);
        }
        var mode = BinaryPrimitives.ReadUInt16LittleEndian(buffer[ModeOffset..]);
        var size = (long)BinaryPrimitives.ReadUInt64LittleEndian(buffer[SizeOffset..]);
        var kind = (mode & 0xF000) switch
        {
            0x8000 => "regular file",
            0x4000 => "directory",
            0x1000 => "FIFO",
            0xC000 => "socket",
            0x2000 => "character device",
            0x6000 => "block device",
            _ => "unknown type",
        };
        return (kind, size);
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int statx(int dirfd, string path, int flags, uint mask, byte* buffer);
}
