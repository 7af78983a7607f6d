using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Plexus.Cni;
using Plexus.Daemon.Cni;
using Plexus.Daemon.Metrics;
using Plexus.Daemon.Protocol.Shim;
using Plexus.Daemon.Tests.Testing;
using Plexus.Testing;

namespace Plexus.Daemon.Tests.Server;

public sealed class ConnectionLimitTests
{
    // How long the daemon may take to notice that clients hung up, which it does on its own threads: a loaded machine can
    // use up the 5 s that 50 tries 100 ms apart gave it. Only a broken run waits this long.
    private static readonly TimeSpan HangUpsNoticed = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Socket_MoreIdleConnectionsThanTheLimit_ExtraOnesClosedAtOnceAndServingResumesWhenTheyGo()
    {
        var handler = new ScriptedHandler((_, _) => Task.FromResult(CniOutcome.Success(CniVersion.V040, new() { ["cniVersion"] = "0.4.0" })));
        await using var daemon = await TestDaemon.StartAsync(handler, o => o with { MaxInFlight = 1, MaxQueued = 0 });
        var limit = daemon.Options.MaxConnections;
        var sockets = new List<Socket>();
        try
        {
            for (var i = 0; i < limit + 8; i++)
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(daemon.Options.SocketPath));
                sockets.Add(socket);
            }

            // The daemon hangs up on the ones beyond the limit: their read ends at once with 0 bytes.
            var closedByDaemon = 0;
            foreach (var socket in sockets.Skip(limit))
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                if (await socket.ReceiveAsync(new byte[1], SocketFlags.None, timeout.Token) == 0)
                {
                    closedByDaemon++;
                }
            }
            Assert.Equal(8, closedByDaemon);
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }

        var output = await WaitForServingAsync(daemon);
        Assert.Equal(0, output.ExitCode);
    }

    // The default (16) and a configured limit (metricsMaxConnections): whichever plexusd's config gives is the one applied.
    [Theory]
    [InlineData(null)]
    [InlineData(3)]
    public async Task MetricsPortFullOfStalledRequests_CniCallsAndSocketProbesServed_ExtraMetricsConnectionsClosedCountedAndLoggedOnce(int? configured)
    {
        var log = new CapturingLoggerProvider();
        // Virtual time: the stalled requests' timeouts never fire, so exactly the extra connections are refused.
        await using var daemon = await TestDaemon.StartAsync(Succeeds(), o => configured is { } limit ? o with { MetricsMaxConnections = limit } : o,
            logging: builder => builder.AddProvider(log), time: new ManualTimeProvider());
        var limit = configured ?? 16;
        var stalled = new List<Socket>();
        try
        {
            for (var i = 0; i < limit + 4; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(MetricsEndPoint(daemon));
                await socket.SendAsync("GET /metrics HTTP/1.1\r\nHost: x\r\n"u8.ToArray());
                stalled.Add(socket);
            }
            Assert.Equal(4, await CountClosedByDaemonAsync(stalled.Skip(limit)));
            var refused = daemon.Server.Services.GetRequiredService<DaemonMetrics>().ConnectionsRefused;
            // The daemon counts and logs a refused connection just after closing it, so its client can see the close first.
            Assert.True(SpinWait.SpinUntil(() => refused.WithLabels("metrics").Value >= 4 && log.Lines.Any(IsLimitWarning), TimeSpan.FromSeconds(30)),
                "the refused metrics connections were not counted and logged");

            Assert.Equal(0, (await daemon.ShimAsync("ADD")).ExitCode);
            using var http = daemon.UnixHttp();
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz")).StatusCode);
            Assert.Equal(4, refused.WithLabels("metrics").Value);
            Assert.Equal(0, refused.WithLabels("socket").Value);
            var warning = Assert.Single(log.Lines, IsLimitWarning);
            Assert.Contains($"{limit} connections are open on the metrics port 127.0.0.1:", warning, StringComparison.Ordinal);
        }
        finally
        {
            stalled.ForEach(s => s.Dispose());
        }

        // Once the stalled clients leave, the metrics port serves again.
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                Assert.Contains("plexus_daemon_connections_refused_total{listener=\"metrics\"} 4", await daemon.ScrapeAsync(), StringComparison.Ordinal);
                break;
            }
            catch (HttpRequestException) when (waited.Elapsed < HangUpsNoticed)
            {
                await Task.Delay(100);
            }
        }
    }

    private static bool IsLimitWarning(string line) => line.Contains("connections are open on the", StringComparison.Ordinal);

    // The default (5 s) and a configured one (metricsHeadTimeoutSeconds): the timer started is the configured length.
    [Theory]
    [InlineData(null)]
    [InlineData(2.5)]
    public async Task MetricsPort_RequestNotCompleteWithinItsTimeout_Closed_SocketConnectionStalledAsLongStillServed(double? configuredSeconds)
    {
        var time = new ManualTimeProvider();
        await using var daemon = await TestDaemon.StartAsync(Succeeds(),
            o => configuredSeconds is { } seconds ? o with { MetricsHeadTimeout = TimeSpan.FromSeconds(seconds) } : o, time: time);
        var headTimeout = TimeSpan.FromSeconds(configuredSeconds ?? 5);
        using var metrics = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await metrics.ConnectAsync(MetricsEndPoint(daemon));
        using var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await unix.ConnectAsync(new UnixDomainSocketEndPoint(daemon.Options.SocketPath));
        await metrics.SendAsync("GET /metrics HTTP/1.1\r\nHost: x\r\n"u8.ToArray());
        await unix.SendAsync("GET /healthz HTTP/1.1\r\nHost: x\r\n"u8.ToArray());
        await time.WaitForTimerAsync(headTimeout);
        await time.WaitForTimerAsync(daemon.Options.IdleTimeout);

        time.Advance(headTimeout);

        Assert.Equal(1, await CountClosedByDaemonAsync([metrics]));
        await unix.SendAsync("Connection: close\r\n\r\n"u8.ToArray());
        var answer = new byte[256];
        var read = await unix.ReceiveAsync(answer, SocketFlags.None);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", Encoding.ASCII.GetString(answer, 0, read), StringComparison.Ordinal);
    }

    private static ScriptedHandler Succeeds() => new((_, _) => Task.FromResult(CniOutcome.Success(CniVersion.V040, new() { ["cniVersion"] = "0.4.0" })));

    private static IPEndPoint MetricsEndPoint(TestDaemon daemon) => new(IPAddress.Loopback, daemon.Server.MetricsUri!.Port);

    /// <summary>How many of these connections the daemon hung up on: a read ends at once with 0 bytes, or a reset.</summary>
    private static async Task<int> CountClosedByDaemonAsync(IEnumerable<Socket> sockets)
    {
        var closed = 0;
        foreach (var socket in sockets)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                if (await socket.ReceiveAsync(new byte[1], SocketFlags.None, timeout.Token) == 0)
                {
                    closed++;
                }
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
                closed++;
            }
        }
        return closed;
    }

    private static async Task<ShimOutput> WaitForServingAsync(TestDaemon daemon)
    {
        // The daemon notices the closed idle connections as they hang up; a call may still find the limit full briefly.
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var output = await daemon.ShimAsync("ADD", "after");
            if (output.ExitCode == 0 || waited.Elapsed > HangUpsNoticed)
            {
                return output;
            }
            await Task.Delay(100);
        }
    }
}
