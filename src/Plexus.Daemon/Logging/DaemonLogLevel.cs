using Microsoft.Extensions.Logging;
using MultusLevel = Plexus.Core.Config.LogLevel;

namespace Plexus.Daemon.Logging;

/// <summary>
/// plexusd's <c>logLevel</c> (Multus's names) as its logger's minimum. Multus's <c>panic</c> logs only panics; plexusd's
/// counterparts are what stops it (a crashed cache or node agent loop) and a request that crashed inside it (a bug, whose
/// caller is told to see this log); start-up failures go to stderr at every level. The meta-plugin's lines have been
/// kept to the request's own level already (plexusd's, see <see cref="Config.DaemonSettings.LogLevel"/>) and keep
/// theirs here (<see cref="LineLevel"/>), so the two filters agree.
/// </summary>
internal static class DaemonLogLevel
{
    /// <summary>error keeps warnings and errors (Multus has no warning level), verbose adds a line per request, debug everything.</summary>
    public static LogLevel Minimum(MultusLevel level) => level switch
    {
        MultusLevel.Panic => LogLevel.Critical,
        MultusLevel.Error => LogLevel.Warning,
        MultusLevel.Verbose => LogLevel.Information,
        _ => LogLevel.Debug,
    };
}
