using Plexus.Core.Config;

namespace Plexus.Core.Service;

/// <summary>
/// Appends log lines to <c>logFile</c>, rotating by size like Multus's lumberjack settings:
/// past <c>maxSize</c> MiB the file becomes <c>.1</c> (older ones shift up, at most <c>maxBackups</c> kept).
/// Appending, not <c>AtomicFile</c>: a log is a stream of lines, not a document replaced whole.
/// Logging never fails a verb.
/// </summary>
internal static class LogFileStore
{
    public static void Append(string path, LogOptions options, string line)
    {
        try
        {
            Rotate(path, options);
            // 0600 like Multus's lumberjack: verbose lines carry pod names and delegate configs.
            using var stream = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Append,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
            stream.Write(System.Text.Encoding.UTF8.GetBytes(line + "\n"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nowhere left to report it; the verb's own result matters more than its log.
        }
    }

    private static void Rotate(string path, LogOptions options)
    {
        var info = new FileInfo(path);
        if (!info.Exists || options.MaxSize <= 0 || info.Length < options.MaxSize * 1024L * 1024L)
        {
            return;
        }
        for (var i = Math.Max(options.MaxBackups, 1); i >= 1; i--)
        {
            var from = i == 1 ? path : $"{path}.{i - 1}";
            if (File.Exists(from))
            {
                File.Move(from, $"{path}.{i}", overwrite: true);
            }
        }
    }
}
