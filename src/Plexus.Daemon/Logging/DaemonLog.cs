using Microsoft.Extensions.Logging;

namespace Plexus.Daemon.Logging;

/// <summary>plexusd's log events; stable ids so log queries survive message edits.</summary>
internal static partial class DaemonLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "{Verb} finished: {Result} in {Milliseconds} ms")]
    public static partial void RequestFinished(this ILogger logger, string verb, string result, long milliseconds);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "{Verb} failed with CNI code {Code}: {Message} ({Details})")]
    public static partial void RequestFailed(this ILogger logger, string verb, int code, string message, string? details);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "{Verb} refused ({Reason}): {InFlight} running, limit {Limit}, queue {QueueLimit}")]
    public static partial void RequestRejected(this ILogger logger, string verb, string reason, int inFlight, int limit, int queueLimit);

    [LoggerMessage(EventId = 103, Level = LogLevel.Error, Message = "{Verb} timed out after {Seconds} s; the work goes on in the background and keeps its slot until it ends")]
    public static partial void RequestTimedOut(this ILogger logger, string verb, double seconds);

    // Critical: plexusd's panic, kept at logLevel panic (its caller's error says to see this log).
    [LoggerMessage(EventId = 104, Level = LogLevel.Critical, Message = "{Verb} crashed inside plexusd; this is a bug, please report it")]
    public static partial void RequestCrashed(this ILogger logger, string verb, Exception exception);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "bad request body on {Path}: {Message}")]
    public static partial void BadBody(this ILogger logger, string path, string message);

    [LoggerMessage(EventId = 106, Level = LogLevel.Warning, Message = "accepting a connection failed ({Error}: {Message}); still listening")]
    public static partial void AcceptFailed(this ILogger logger, string error, string message);

    [LoggerMessage(EventId = 107, Level = LogLevel.Warning, Message = "{Limit} connections are open on the {Listener} (its limit): closed {Refused} new connection(s) since the last such line (at most one every {Seconds} s; all are counted in plexus_daemon_connections_refused_total)")]
    public static partial void TooManyConnections(this ILogger logger, int limit, string listener, long refused, double seconds);

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "listening on {SocketPath} (limit {Limit} in flight, queue {QueueLimit}); metrics on {Metrics}")]
    public static partial void Listening(this ILogger logger, string socketPath, int limit, int queueLimit, string metrics);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "{Signal}: draining, /readyz now 500 and new requests refused; {Active} in flight")]
    public static partial void Draining(this ILogger logger, string signal, int active);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "drain timed out after {Seconds} s with {Active} requests still running; cancelling them (their delegates are killed, they are answered code 11) and stopping")]
    public static partial void DrainTimedOut(this ILogger logger, double seconds, int active);

    [LoggerMessage(EventId = 206, Level = LogLevel.Warning, Message = "{Active} cancelled requests still running {Seconds} s after the cancel (work that ignores cancellation); stopping without them")]
    public static partial void CancelledWorkLingers(this ILogger logger, double seconds, int active);

    [LoggerMessage(EventId = 203, Level = LogLevel.Information, Message = "stopped; removed {SocketPath}")]
    public static partial void Stopped(this ILogger logger, string socketPath);

    [LoggerMessage(EventId = 205, Level = LogLevel.Critical, Message = "{Service} crashed ({ErrorType}: {Message}), so plexusd stopped; exiting with code 3 so the supervisor restarts it")]
    public static partial void ServiceFailed(this ILogger logger, string service, string errorType, string message, Exception exception);

    [LoggerMessage(EventId = 204, Level = LogLevel.Information, Message = "removed stale socket {SocketPath} left by a daemon that is gone")]
    public static partial void StaleSocketRemoved(this ILogger logger, string socketPath);

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "cache {Cache}: listed {Count} objects at resourceVersion {Version}")]
    public static partial void CacheListed(this ILogger logger, string cache, int count, string version);

    [LoggerMessage(EventId = 301, Level = LogLevel.Debug, Message = "cache {Cache}: watch restarted ({Reason})")]
    public static partial void WatchRestarted(this ILogger logger, string cache, string reason);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "cache {Cache}: list/watch failed: {Message}; retrying in {Seconds} s (lookups fall back to live GETs meanwhile)")]
    public static partial void WatchFailed(this ILogger logger, string cache, string message, double seconds);

    [LoggerMessage(EventId = 303, Level = LogLevel.Warning, Message = "cache {Cache}: nothing from the API server for {Seconds} s (no object, event or bookmark): its connection is taken for dead and the list/watch restarted")]
    public static partial void WatchIdle(this ILogger logger, string cache, double seconds);

    [LoggerMessage(EventId = 106, Level = LogLevel.Error, Message = "meta-plugin stderr: {Text}")]
    public static partial void PluginStderr(this ILogger logger, string text);

    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "node agent: {Status}: {Message}")]
    public static partial void AgentPass(this ILogger logger, string status, string message);

    [LoggerMessage(EventId = 401, Message = "{Line}")]
    public static partial void LineLog(this ILogger logger, LogLevel level, string line);
}
