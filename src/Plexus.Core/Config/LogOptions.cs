namespace Plexus.Core.Config;

/// <summary>
/// Log file rotation, with Multus's defaults and lumberjack's meaning (JSON keys maxAge, maxSize, maxBackups and
/// compress, see <see cref="MetaConfigParser"/>): past <c>MaxSize</c> MiB the log becomes a backup; at most
/// <c>MaxBackups</c> backups are kept (0: all), none older than <c>MaxAge</c> days (0: no limit); <c>Compress</c> gzips them.
/// </summary>
internal sealed record LogOptions(
    int MaxAge = 5,
    int MaxSize = 100,
    int MaxBackups = 5,
    bool Compress = true);
