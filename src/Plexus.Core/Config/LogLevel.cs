namespace Plexus.Core.Config;

/// <summary>Multus's log levels, most severe first; a message is written when its level is at most the configured one.</summary>
public enum LogLevel
{
    Panic = 0,
    Error = 1,
    Verbose = 2,
    Debug = 3,
}

public static class LogLevels
{
    /// <summary>
    /// Null for an empty or unknown name, which then means the host's default (<see cref="Service.MetaPluginHost.DefaultLogLevel"/>:
    /// Multus's panic in the plugin; upstream does not refuse an unknown one either).
    /// </summary>
    public static LogLevel? Parse(string? name) => name?.ToLowerInvariant() switch
    {
        "panic" => LogLevel.Panic,
        "error" => LogLevel.Error,
        "verbose" => LogLevel.Verbose,
        "debug" => LogLevel.Debug,
        _ => null,
    };
}
