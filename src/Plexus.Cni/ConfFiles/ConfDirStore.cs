using System.ComponentModel;
using Microsoft.Win32.SafeHandles;

namespace Plexus.Cni.ConfFiles;

/// <summary>
/// Reads a CNI conf dir the way the runtime does: candidate names in load order, symlinks
/// followed, only regular files read. Files are opened non-blocking and checked with fstat
/// before reading, so a FIFO or device dropped into the dir can never hang the reader.
/// </summary>
public static class ConfDirStore
{
    /// <summary>Larger files are reported unreadable instead of being loaded into memory.</summary>
    public const int MaxFileBytes = 4 * 1024 * 1024;

    /// <summary>The dir's candidate files in load order; a missing dir is an empty list.</summary>
    public static IReadOnlyList<ConfFile> List(string dir, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(dir))
        {
            return [];
        }
        var names = Directory.EnumerateFileSystemEntries(dir).Select(p => Path.GetFileName(p)!);
        var files = new List<ConfFile>();
        foreach (var name in ConfFileNames.InLoadOrder(names))
        {
            cancellationToken.ThrowIfCancellationRequested();
            files.Add(Read(Path.Combine(dir, name)));
        }
        return files;
    }

    /// <summary>Reads one file; never throws for a bad entry, it says why in <see cref="ConfFile.Unreadable"/>.</summary>
    public static ConfFile Read(string path)
    {
        var name = Path.GetFileName(path);
        var fd = FileStatus.OpenReadNonBlocking(path);
        if (fd < 0)
        {
            return new ConfFile { Name = name, Path = path, Unreadable = "cannot open: " + new Win32Exception(-fd).Message };
        }
        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        var (kind, size) = FileStatus.Describe(handle);
        if (kind != "regular file")
        {
            return new ConfFile { Name = name, Path = path, Unreadable = $"not a regular file ({kind})" };
        }
        if (size > MaxFileBytes)
        {
            return new ConfFile { Name = name, Path = path, Unreadable = $"too large ({size} bytes, limit {MaxFileBytes})" };
        }
        try
        {
            return new ConfFile { Name = name, Path = path, Content = ReadAll(handle) };
        }
        catch (IOException e)
        {
            return new ConfFile { Name = name, Path = path, Unreadable = "read failed: " + e.Message };
        }
    }

    private static byte[] ReadAll(SafeFileHandle handle)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        long offset = 0;
        int read;
        while ((read = RandomAccess.Read(handle, chunk, offset)) > 0)
        {
            buffer.Write(chunk, 0, read);
            offset += read;
            if (offset > MaxFileBytes)
            {
                throw new IOException($"grew beyond {MaxFileBytes} bytes while being read");
            }
        }
        return buffer.ToArray();
    }
}
