namespace Plexus.NodeAgent.IO;

/// <summary>
/// Puts an existing file's permission bits right without rewriting it: a file whose content is already
/// what Plexus would write keeps its bytes and mtime, but not a mode that exposes credentials.
/// </summary>
public static class FileModeStore
{
    /// <summary>Sets <paramref name="path"/>'s mode to <paramref name="mode"/>; returns the mode it had when it differed, else null.</summary>
    public static UnixFileMode? Enforce(string path, UnixFileMode mode, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var current = File.GetUnixFileMode(path);
        if (current == mode)
        {
            return null;
        }
        File.SetUnixFileMode(path, mode);
        return current;
    }

    /// <summary>A mode as chmod writes it (0644).</summary>
    public static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode, 8);
}
