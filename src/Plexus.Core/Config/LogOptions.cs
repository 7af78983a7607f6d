namespace Plexus.Core.Config;

/// <summary>
/// Log file rotation, with Multus's defaults (days, MiB, files); JSON keys maxAge, maxSize,
/// maxBackups and compress (see <see cref="MetaConfigParser"/>).
/// </summary>
internal sealed record LogOptions(
    int MaxAge = 5,
    int MaxSize = 100,
    int MaxBackups = 5,
    bool Compress = true);
