using Plexus.Cni.IO;

namespace Plexus.NodeAgent.Install;

/// <summary>
/// Copies CNI binaries into the host bin dir: temp file in the same dir, then rename over the
/// target. The running old binary keeps its inode, so there is never a "text file busy", and
/// the runtime only ever executes a complete binary. Identical targets are left alone.
/// </summary>
public static class BinaryInstaller
{
    private const UnixFileMode ExecutableMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>Installs <paramref name="source"/> as <c>targetDir/name</c>; true when it was (re)written.</summary>
    public static bool Install(string source, string targetDir, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var content = File.ReadAllBytes(source);
        var target = Path.Combine(targetDir, Path.GetFileName(source));
        // A copy killed mid-write (an init container evicted) left an executable temp file beside the target.
        AtomicFile.DeleteStrays(target);
        if (File.Exists(target) && File.ReadAllBytes(target).AsSpan().SequenceEqual(content)
            && File.GetUnixFileMode(target) == ExecutableMode)
        {
            return false;
        }
        AtomicFile.WriteAllBytes(target, content, ExecutableMode);
        return true;
    }
}
