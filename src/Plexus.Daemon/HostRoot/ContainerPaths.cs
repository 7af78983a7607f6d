using Plexus.Daemon.Config;

namespace Plexus.Daemon.HostRoot;

/// <summary>
/// After the chroot every path of plexusd's config is the node's. Multus's daemon config names the container's mounts
/// instead (<c>/host/etc/cni/net.d</c>), which Multus can do because it never chroots itself: such a path is missing on
/// the node while the same path without its first segment exists, and plexusd would otherwise run without ever
/// finding the primary or a delegate.
/// </summary>
internal static class ContainerPaths
{
    /// <summary>One line per directory that looks like a container path, naming the key and the node's path to write.</summary>
    public static IReadOnlyList<string> Problems(DaemonSettings settings, Func<string, bool> directoryExists)
    {
        var dirs = new List<(string Key, string? Path)> { ("binDir", settings.BinDir) };
        if (settings.Generator is { } generator)
        {
            dirs.Add(("confDir/cniConfigDir", generator.ConfDir));
            dirs.Add(("multusAutoconfigDir", generator.AutoconfigDir));
        }
        var problems = new List<string>();
        foreach (var (key, path) in dirs)
        {
            if (path is null || directoryExists(path) || NodePathOf(path) is not { } node || !directoryExists(node))
            {
                continue;
            }
            problems.Add($"{key} {path} does not exist on the node (plexusd has moved into chrootDir, so paths are the node's); write {node}");
        }
        return problems;
    }

    private static string? NodePathOf(string path)
    {
        var rest = path.TrimEnd('/');
        var second = rest.IndexOf('/', 1);
        return second <= 0 ? null : rest[second..];
    }
}
