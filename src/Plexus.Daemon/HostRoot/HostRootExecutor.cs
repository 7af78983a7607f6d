using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Plexus.Daemon.HostRoot;

/// <summary>
/// Multus's <c>chrootDir</c>: plexusd moves its whole process into the node's root filesystem (mounted into the
/// container, e.g. at <c>/hostroot</c>), so delegates and <c>ip</c> run with the node's own tools and files (iptables
/// for portmap, Calico's kubeconfig, flannel's subnet.env, Cilium's socket) and every path of the config is a host path.
/// Multus chroots around each plugin execution instead (under a lock); one chroot at start-up needs no lock and
/// makes the daemon's own paths (socket, conf dir, caches) host paths too.
/// </summary>
internal static partial class HostRootExecutor
{
    private const int O_RDONLY = 0, O_DIRECTORY = 0x10000, O_CLOEXEC = 0x80000, O_PATH = 0x200000;

    /// <summary>
    /// Chroots into <paramref name="root"/> and changes to its "/". Before that: OpenSSL (linked in) is initialised,
    /// so its config and providers come from the image, not the node; and <paramref name="serviceAccountDir"/> (the
    /// container's projected token volume) is kept open, so the token the kubelet rotates there stays readable through
    /// <c>/proc/self/fd/N</c> (the node's /proc: plexusd runs with hostPID). Returns the service-account directory to
    /// use from now on (unchanged when the container has none), or the failure with its errno.
    /// </summary>
    public static (string? ServiceAccountDir, string? Error) Enter(string root, string serviceAccountDir)
    {
        // A one-shot digest runs .NET's OpenSSL initialisation (OPENSSL_init_ssl with the config file) now, inside the image.
        _ = SHA256.HashData("plexusd"u8);
        var keptOpen = Directory.Exists(serviceAccountDir) ? open(serviceAccountDir, O_PATH | O_DIRECTORY | O_CLOEXEC | O_RDONLY) : -1;
        if (chroot(root) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            Close(keptOpen);
            return (null, $"cannot chroot into chrootDir {root}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
        }
        if (chdir("/") != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return (null, $"chrooted into chrootDir {root} but cannot change to its \"/\": {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
        }
        // The runtime's process statistics and the kept token directory are read through /proc: a root without it is not
        // the node's (a hostPath of "/" brings the node's submounts along).
        if (!Directory.Exists("/proc/self/fd"))
        {
            return (null, $"chrootDir {root} has no /proc (not the node's root filesystem with its mounts?)");
        }
        return (keptOpen >= 0 ? $"/proc/self/fd/{keptOpen}" : serviceAccountDir, null);
    }

    private static void Close(int fd)
    {
        if (fd >= 0)
        {
            _ = close(fd);
        }
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int chroot(string path);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int chdir(string path);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);
}
