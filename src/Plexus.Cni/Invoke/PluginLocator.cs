namespace Plexus.Cni.Invoke;

/// <summary>Finds a plugin executable by its <c>type</c> in the bin dirs, in order, as libcni does.</summary>
public static class PluginLocator
{
    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>
    /// The full path of the first regular executable file named <paramref name="type"/> in
    /// <paramref name="binDirs"/>. A type that is empty, dots only or contains '/' could leave the
    /// bin dirs and is rejected (code 7); a type found nowhere is code 5 naming every dir searched.
    /// </summary>
    public static string Find(string type, IReadOnlyList<string> binDirs)
    {
        ArgumentNullException.ThrowIfNull(binDirs);
        if (string.IsNullOrEmpty(type) || type.Contains('/') || type.All(c => c == '.') || type.Any(char.IsControl))
        {
            throw CniException.InvalidConfig(
                $"invalid plugin type \"{type.Replace('\0', ' ')}\": it must be a file name without '/' or control characters, and not only dots");
        }
        var searched = binDirs.Where(d => d.Length > 0).ToList();
        foreach (var dir in searched)
        {
            var path = Path.Combine(dir, type);
            if (IsExecutableFile(path))
            {
                return path;
            }
        }
        throw CniException.Io(
            $"failed to find plugin \"{type}\" in path [{string.Join(' ', searched)}]",
            searched.Count == 0 ? "no plugin directories were given (CNI_PATH / binDir is empty)" : "install the plugin or add its directory to CNI_PATH / binDir");
    }

    private static bool IsExecutableFile(string path)
    {
        try
        {
            // FileInfo follows symlinks for attributes, so a symlink to a regular file counts like the file.
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                return false;
            }
            var target = info.LinkTarget is null ? info : info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo;
            return target is { Exists: true } && (target.UnixFileMode & AnyExecute) != 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
