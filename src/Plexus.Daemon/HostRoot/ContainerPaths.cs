using Plexus.Daemon.Config;

namespace Plexus.Daemon.HostRoot;

/// <summary>
/// After the chroot every path of plexusd's config is the node's. Multus's daemon config names the container's mounts
/// instead (<c>/host/etc/cni/net.d</c>), which Multus can do because it never chroots itself: such a path is missing on
/// the node while the same path without its first segment exists, and plexusd would otherwise run without ever
/// finding the primary or a delegate. The socket's dir is created when missing, so there the sign is a first
/// segment the node does not have (<c>/host/run/multus</c>): plexusd would make a new top-level dir on the node and
/// listen where no shim looks.
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
        if (SocketDirProblem(settings.Server.SocketDir, directoryExists) is { } socket)
        {
            problems.Add(socket);
        }
        return problems;
    }

    private static string? SocketDirProblem(string dir, Func<string, bool> directoryExists)
    {
        if (directoryExists(dir) || NodePathOf(dir) is not { } node || directoryExists(FirstSegmentOf(dir))
            || Path.GetDirectoryName(node) is not { } nodeParent || nodeParent == "/" || !directoryExists(nodeParent))
        {
            return null;
        }
        return $"socketDir {dir} is not on the node (plexusd has moved into chrootDir, so paths are the node's; it would create " +
            $"{FirstSegmentOf(dir)} there and listen where no shim looks); write {node}";
    }

    private static string FirstSegmentOf(string path) => path[..path.IndexOf('/', 1)];

    private static string? NodePathOf(string path)
    {
        var rest = path.TrimEnd('/');
        var second = rest.IndexOf('/', 1);
        return second <= 0 ? null : rest[second..];
    }
}
