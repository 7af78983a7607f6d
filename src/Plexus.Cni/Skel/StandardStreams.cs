using Microsoft.Win32.SafeHandles;

namespace Plexus.Cni.Skel;

/// <summary>
/// The process's stdin, stdout and stderr as plain file streams. System.Console's streams set up
/// terminal handling (including a signal-handling thread) on first use, which a CNI plugin whose
/// stdio are pipes never needs.
/// </summary>
public static class StandardStreams
{
    public static Stream Input() => Open(0, FileAccess.Read);

    public static Stream Output() => Open(1, FileAccess.Write);

    public static TextWriter Error() => new StreamWriter(Open(2, FileAccess.Write)) { AutoFlush = true };

    private static FileStream Open(int fd, FileAccess access) =>
        new(new SafeFileHandle(fd, ownsHandle: false), access, bufferSize: 0);
}
