using Plexus.Cni.IO;

namespace Plexus.Cni.Skel;

/// <summary>
/// The process's stdin, stdout and stderr as plain descriptor streams (<see cref="FdStream"/>: read(2) and
/// write(2) at the shared file offset). System.Console's streams set up terminal handling (including a
/// signal-handling thread) on first use, which a CNI plugin whose stdio are pipes never needs; FileStream
/// writes a regular file at a position of its own, so a shell's next write into the same redirection would
/// overwrite the answer.
/// </summary>
public static class StandardStreams
{
    /// <summary>
    /// stdin; a terminal reads as empty. A runtime always passes the config through a pipe or file (VERSION
    /// included, whose answer echoes its cniVersion); a person trying <c>CNI_COMMAND=VERSION plexus</c> by hand
    /// gets the answer at once instead of waiting for end of input.
    /// </summary>
    public static Stream Input() => FileDescriptor.IsTerminal(0) ? Stream.Null : new FdStream(0, FileAccess.Read);

    public static Stream Output() => new FdStream(1, FileAccess.Write);

    public static TextWriter Error() => new StreamWriter(new FdStream(2, FileAccess.Write)) { AutoFlush = true };
}
