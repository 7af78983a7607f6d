using System.Runtime.InteropServices;
using System.Text;

namespace Plexus.Cni.IO;

/// <summary>
/// Writes files so that readers only ever see the old content or the complete new content:
/// a temp file in the same directory, fsync, rename over the target, fsync the directory.
/// A crash at any point leaves at most a stray <c>.tmp-*</c> file, never a partial target.
/// </summary>
/// <remarks>
/// The directory fsync makes the rename itself survive a power loss; it is the slowest step (it
/// waits for a journal commit, milliseconds on a node's disk). Per-container caches skip it
/// (<c>syncDirectory: false</c>): their content is still on disk before it gets its name, so a
/// power loss leaves the old file or the complete new one, and the state they describe (the pod's
/// network namespace) does not outlive a power loss anyway. libcni writes its caches without any fsync.
/// </remarks>
public static partial class AtomicFile
{
    /// <summary>Prefix of the temporary files; readers of a directory must ignore names starting with it.</summary>
    public const string TempPrefix = ".plexus-tmp-";

    public static void WriteAllText(string path, string content, UnixFileMode mode) =>
        WriteAllBytes(path, Encoding.UTF8.GetBytes(content), mode);

    /// <param name="syncDirectory">False for per-container state only (see remarks).</param>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content, UnixFileMode mode, bool syncDirectory = true)
    {
        var fullPath = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"'{path}' has no directory", nameof(path));
        var temp = Path.Combine(dir, TempPrefix + Path.GetFileName(fullPath) + "-" + Guid.NewGuid().ToString("N")[..8]);
        // Straight system calls: FileStream adds an fstat and a flock per file, and setting the mode by path another
        // lookup; every thin ADD writes five of these files, plexusd five per pod.
        var fd = Native.open(temp, Native.O_WRONLY | Native.O_CREAT | Native.O_EXCL | Native.O_CLOEXEC, (uint)mode);
        if (fd < 0)
        {
            throw Failure("create", temp);
        }
        try
        {
            // The umask may have narrowed the mode; set it exactly.
            Check(Native.fchmod(fd, (uint)mode), "set the mode of", temp);
            WriteAll(fd, content, temp);
            Check(Native.fsync(fd), "flush", temp);
            var closed = Native.close(fd);
            fd = -1;
            Check(closed, "close", temp);
            Check(Native.rename(temp, fullPath), $"rename {temp} over", fullPath);
        }
        catch
        {
            if (fd >= 0)
            {
                _ = Native.close(fd);
            }
            TryDelete(temp);
            throw;
        }
        if (syncDirectory)
        {
            SyncDirectory(dir);
        }
    }

    /// <summary>
    /// Removes the temp files of writes to <paramref name="path"/> that a killed process left behind
    /// (exactly this target's: prefix, file name, '-', 8 hex digits). Call it where the target itself
    /// is removed, so a SIGKILL mid-write does not leave them forever.
    /// </summary>
    public static void DeleteStrays(string path)
    {
        var fullPath = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(fullPath);
        var name = Path.GetFileName(fullPath);
        foreach (var stray in TempFiles(dir, TempPrefix + name + "-*").Where(stray => TargetOf(stray) == name))
        {
            TryDelete(stray);
        }
    }

    /// <summary>
    /// The temp files in <paramref name="dir"/> of writes to any target there: those of writes in progress and those a
    /// killed process left; only the caller can tell them apart (by age, or by holding the writers' lock).
    /// </summary>
    public static IReadOnlyList<string> TempFiles(string dir) => TempFiles(dir, TempPrefix + "*").Where(t => TargetOf(t) is not null).ToList();

    private static IEnumerable<string> TempFiles(string? dir, string pattern) =>
        Directory.Exists(dir) ? Directory.EnumerateFiles(dir, pattern) : [];

    /// <summary>The name of the target a temp file was made for (prefix, that name, '-', 8 hex digits); null for any other file.</summary>
    private static string? TargetOf(string path)
    {
        var name = Path.GetFileName(path);
        return name.Length > TempPrefix.Length + 9 && name.StartsWith(TempPrefix, StringComparison.Ordinal) && name[^9] == '-'
            && !name.AsSpan(name.Length - 8).ContainsAnyExcept("0123456789abcdef")
                ? name[TempPrefix.Length..^9]
                : null;
    }

    /// <summary>Creates <paramref name="dir"/> (and parents) and sets its mode exactly.</summary>
    public static void EnsureDirectory(string dir, UnixFileMode mode)
    {
        Directory.CreateDirectory(dir, mode);
        File.SetUnixFileMode(dir, mode);
    }

    private static void WriteAll(int fd, ReadOnlySpan<byte> content, string path)
    {
        if (FileDescriptor.WriteAll(fd, content) is var errno and not 0)
        {
            throw Failure("write", path, errno);
        }
    }

    private static void Check(int result, string what, string path)
    {
        if (result < 0)
        {
            throw Failure(what, path);
        }
    }

    // The exception types FileStream throws for the same errors, so callers keep telling a missing directory
    // and a permission problem from other I/O failures.
    private static Exception Failure(string what, string path) => Failure(what, path, Marshal.GetLastPInvokeError());

    private static Exception Failure(string what, string path, int errno)
    {
        var message = $"cannot {what} {path}: {Marshal.GetPInvokeErrorMessage(errno)}";
        return errno switch
        {
            Native.ENOENT => new DirectoryNotFoundException(message),
            Native.EACCES or Native.EPERM => new UnauthorizedAccessException(message),
            _ => new IOException(message, errno),
        };
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static void SyncDirectory(string dir)
    {
        var fd = Native.open(dir, Native.O_RDONLY | Native.O_DIRECTORY | Native.O_CLOEXEC);
        if (fd < 0)
        {
            return;
        }
        _ = Native.fsync(fd);
        _ = Native.close(fd);
    }

    private static partial class Native
    {
        public const int EPERM = 1;
        public const int ENOENT = 2;
        public const int EACCES = 13;
        public const int O_RDONLY = 0;
        public const int O_WRONLY = 1;
        public const int O_CREAT = 0x40;
        public const int O_EXCL = 0x80;
        public const int O_DIRECTORY = 0x10000;
        public const int O_CLOEXEC = 0x80000;

        [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
        public static partial int open(string path, int flags);

        [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
        public static partial int open(string path, int flags, uint mode);

        [LibraryImport("libc", SetLastError = true)]
        public static partial int fchmod(int fd, uint mode);

        [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
        public static partial int rename(string from, string to);

        [LibraryImport("libc", SetLastError = true)]
        public static partial int fsync(int fd);

        [LibraryImport("libc", SetLastError = true)]
        public static partial int close(int fd);
    }
}
