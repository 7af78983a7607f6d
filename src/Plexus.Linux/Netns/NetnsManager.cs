namespace Plexus.Linux.Netns;

/// <summary>
/// Creates and removes named network namespaces the way iproute2 does, so `ip netns` sees them:
/// a file under /run/netns with the namespace bind-mounted onto it. No `ip` process is spawned.
/// </summary>
public static class NetnsManager
{
    public const string RunDir = "/run/netns";

    public static string PathOf(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('/') || name is "." or "..")
        {
            throw new ArgumentException($"invalid network namespace name \"{name}\"", nameof(name));
        }
        return Path.Combine(RunDir, name);
    }

    public static bool Exists(string name) => File.Exists(PathOf(name));

    /// <summary>Names of the namespaces under /run/netns.</summary>
    public static IReadOnlyList<string> List() =>
        Directory.Exists(RunDir) ? [.. Directory.EnumerateFiles(RunDir).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)] : [];

    /// <summary>Creates a new empty network namespace named <paramref name="name"/> and returns its path.</summary>
    public static async Task<string> CreateAsync(string name, CancellationToken cancellationToken)
    {
        var path = PathOf(name);
        cancellationToken.ThrowIfCancellationRequested();
        EnsureSharedRunDir();
        using (new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead }))
        {
        }
        try
        {
            await NetnsRunner.RunOnDedicatedThread(() =>
            {
                if (NetnsNative.unshare(NetnsNative.CLONE_NEWNET) != 0)
                {
                    throw NetnsNative.Error($"unshare(CLONE_NEWNET) for namespace {name} failed");
                }
                if (NetnsNative.mount("/proc/thread-self/ns/net", path, "none", NetnsNative.MS_BIND, 0) != 0)
                {
                    throw NetnsNative.Error($"bind-mounting the new namespace onto {path} failed");
                }
                return true;
            }).ConfigureAwait(false);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
        return path;
    }

    /// <summary>Unmounts and removes namespace <paramref name="name"/>; a missing namespace is not an error.</summary>
    public static void Delete(string name)
    {
        var path = PathOf(name);
        if (!File.Exists(path))
        {
            return;
        }
        // EINVAL means it is no longer a mount point (half-created); the file still has to go.
        if (NetnsNative.umount2(path, NetnsNative.MNT_DETACH) != 0 && System.Runtime.InteropServices.Marshal.GetLastPInvokeError() != Errno.EINVAL)
        {
            throw NetnsNative.Error($"unmounting network namespace {path} failed");
        }
        File.Delete(path);
    }

    // Mounts under /run/netns must propagate to other mount namespaces (as iproute2 arranges),
    // otherwise a runtime in another mount namespace could not see them.
    private static void EnsureSharedRunDir()
    {
        Directory.CreateDirectory(RunDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        if (NetnsNative.mount("", RunDir, "none", NetnsNative.MS_SHARED | NetnsNative.MS_REC, 0) == 0)
        {
            return;
        }
        if (System.Runtime.InteropServices.Marshal.GetLastPInvokeError() != Errno.EINVAL
            || NetnsNative.mount(RunDir, RunDir, "none", NetnsNative.MS_BIND | NetnsNative.MS_REC, 0) != 0
            || NetnsNative.mount("", RunDir, "none", NetnsNative.MS_SHARED | NetnsNative.MS_REC, 0) != 0)
        {
            throw NetnsNative.Error($"making {RunDir} a shared mount failed");
        }
    }
}
