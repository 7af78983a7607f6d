namespace Plexus.Core.Config;

/// <summary>Multus's log levels, most severe first; a message is written when its level is at most the configured one.</summary>
internal enum LogLevel
{
    Panic = 0,
    Error = 1,
    Verbose = 2,
    Debug = 3,
}

internal static class LogLevels
{
    /// <summary>Null for an empty or unknown name, which then means Multus's default, panic (upstream does not refuse one either).</summary>
    public static LogLevel? Parse(string? name) => name?.ToLowerInvariant() switch
    {
        "panic" => LogLevel.Panic,
        "error" => LogLevel.Error,
        "verbose" => LogLevel.Verbose,
        "debug" => LogLevel.Debug,
        _ => null,
    };
}
