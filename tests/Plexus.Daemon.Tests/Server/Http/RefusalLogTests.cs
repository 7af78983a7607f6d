using Microsoft.Extensions.Logging;
using Plexus.Daemon.Server.Http;
using Plexus.Daemon.Tests.Testing;
using Plexus.Testing;

namespace Plexus.Daemon.Tests.Server.Http;

public sealed class RefusalLogTests
{
    [Fact]
    public void Refused_ManyWithinAnInterval_OneLineThenTheNextCarriesTheCountSinceIt()
    {
        var time = new ManualTimeProvider();
        var log = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(builder => builder.AddProvider(log));
        var refusals = new RefusalLog("metrics port 0.0.0.0:9464", 16, time, factory.CreateLogger("test"));

        refusals.Refused();
        refusals.Refused();
        refusals.Refused();
        time.Advance(RefusalLog.Interval - TimeSpan.FromTicks(1));
        refusals.Refused();
        Assert.Single(log.Lines);
        time.Advance(TimeSpan.FromTicks(1));
        refusals.Refused();

        Assert.Collection(log.Lines,
            first => Assert.Equal("Warning test: 16 connections are open on the metrics port 0.0.0.0:9464 (its limit): closed 1 new connection(s) " +
                "since the last such line (at most one every 10 s; all are counted in plexus_daemon_connections_refused_total)", first),
            second => Assert.Contains(": closed 4 new connection(s) since the last such line", second, StringComparison.Ordinal));
    }
}
