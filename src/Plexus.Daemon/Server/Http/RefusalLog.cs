using Microsoft.Extensions.Logging;
using Plexus.Daemon.Logging;

namespace Plexus.Daemon.Server.Http;

/// <summary>
/// The warning for connections a listener refused at its limit, at most one line per <see cref="Interval"/> carrying
/// how many were refused since the last one: a flood of connections must not become a flood of log lines. Used by one
/// accept loop only, so it needs no lock.
/// </summary>
internal sealed class RefusalLog(string listener, int limit, TimeProvider time, ILogger logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private long _unlogged;
    private DateTimeOffset _nextLine = DateTimeOffset.MinValue;

    public void Refused()
    {
        _unlogged++;
        var now = time.GetUtcNow();
        if (now < _nextLine)
        {
            return;
        }
        logger.TooManyConnections(limit, listener, _unlogged, Interval.TotalSeconds);
        _unlogged = 0;
        _nextLine = now + Interval;
    }
}
