using Plexus.Core.Config;

namespace Plexus.Core.Service;

/// <summary>
/// Appends log lines to <c>logFile</c>, creating its missing directories (0755) and rotating it by size
/// like Multus's lumberjack (see <see cref="LogBackupStore"/>). Appending, not <c>AtomicFile</c>: a log is
/// a stream of lines, not a document replaced whole. Logging never fails a verb.
/// </summary>
internal static class LogFileStore
{
    /// <summary>A log file Plexus creates: lines carry pod names and delegate configs.</summary>
    private const UnixFileMode NewFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    public static void Append(string path, LogOptions options, string line, DateTimeOffset now)
    {
        // Whatever the path or the disk does (a NUL in the name, a directory there, a full disk), the line is
        // dropped and the verb's own result stands: there is nowhere left to report it.
        try
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(line + "\n");
            var mode = Prepare(path, options, bytes.Length, now);
            using var stream = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Append,
                Access = FileAccess.Write,
                UnixCreateMode = mode,
            });
            stream.Write(bytes);
        }
        catch (Exception)
        {
        }
    }

    /// <summary>Creates the directory or rotates the file as needed; returns the mode a new log file gets.</summary>
    private static UnixFileMode Prepare(string path, LogOptions options, int incoming, DateTimeOffset now)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            if (info.DirectoryName is { } dir && !Directory.Exists(dir))
            {
                Directory.CreateDirectory(dir, DirectoryMode);
            }
            return NewFileMode;
        }
        if (options.MaxSize > 0 && info.Length > 0 && info.Length + incoming > options.MaxSize * 1024L * 1024L)
        {
            // The next file gets the rotated one's mode, as lumberjack does (the umask still applies, as there).
            var mode = info.UnixFileMode;
            try
            {
                LogBackupStore.Rotate(path, options, now);
            }
            catch (Exception)
            {
                // Backups that cannot be shifted or compressed must not cost the line: it goes to the log as it is now.
            }
            return mode;
        }
        return NewFileMode;
    }
}
