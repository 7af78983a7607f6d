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
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = mode,
            };
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            // The umask may have narrowed the mode; set it exactly.
            File.SetUnixFileMode(temp, mode);
            File.Move(temp, fullPath, overwrite: true);
        }
        catch
        {
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
        if (dir is null || !Directory.Exists(dir))
        {
            return;
        }
        var prefix = TempPrefix + Path.GetFileName(fullPath) + "-";
        foreach (var stray in Directory.EnumerateFiles(dir, prefix + "*"))
        {
            var suffix = Path.GetFileName(stray.AsSpan())[prefix.Length..];
            if (suffix.Length == 8 && !suffix.ContainsAnyExcept("0123456789abcdef"))
            {
                TryDelete(stray);
            }
        }
    }

    /// <summary>Creates <paramref name="dir"/> (and parents) and sets its mode exactly.</summary>
    public static void EnsureDirectory(string dir, UnixFileMode mode)
    {
        Directory.CreateDirectory(dir, mode);
        File.SetUnixFileMode(dir, mode);
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
        public const int O_RDONLY = 0;
        public const int O_DIRECTORY = 0x10000;
        public const int O_CLOEXEC = 0x80000;

        [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
        public static partial int open(string path, int flags);

        [LibraryImport("libc", SetLastError = true)]
        public static partial int fsync(int fd);

        [LibraryImport("libc", SetLastError = true)]
        public static partial int close(int fd);
    }
}
