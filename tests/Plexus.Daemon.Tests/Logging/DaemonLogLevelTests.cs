using System.Text;
using Microsoft.Extensions.Logging;
using Plexus.Daemon.Config;
using Plexus.Daemon.Logging;
using Plexus.Daemon.Protocol.Shim;
using Plexus.Daemon.Tests.Testing;
using MultusLevel = Plexus.Core.Config.LogLevel;

namespace Plexus.Daemon.Tests.Logging;

/// <summary>
/// plexusd's <c>logLevel</c> for its own lines and for a request's meta-plugin lines: set over the request's config when
/// plexusd's config names it, else the request's own, else plexusd's default. The end-to-end cases run plexusd on the
/// real console logger (process-wide, so alone).
/// </summary>
[Collection(nameof(ConsoleCapture))]
public sealed class DaemonLogLevelTests : IDisposable
{
    private const string MetaError = "[error] plexus:";
    private const string MetaVerbose = "[verbose] plexus:";
    private const string Finished = "DEL finished";
    private const string Failed = "DEL failed with CNI code";

    private readonly string _dir = Directory.CreateTempSubdirectory("plexusd-loglevel-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // Event ids of plexusd's lines, most severe first: 205 crashed service, 104 crashed request, 101 failed request,
    // 100 finished request, 301 watch restarted (debug).
    [Theory]
    [InlineData(MultusLevel.Panic, new[] { 205, 104 })]
    [InlineData(MultusLevel.Error, new[] { 205, 104, 101 })]
    [InlineData(MultusLevel.Verbose, new[] { 205, 104, 101, 100 })]
    [InlineData(MultusLevel.Debug, new[] { 205, 104, 101, 100, 301 })]
    public void Minimum_EachLevel_PlexusdsLinesFromThatSeverityOn(MultusLevel level, int[] shown)
    {
        var capture = new EventCapture();
        using (var factory = LoggerFactory.Create(logging =>
        {
            logging.AddProvider(capture);
            logging.SetMinimumLevel(DaemonLogLevel.Minimum(level));
        }))
        {
            var logger = factory.CreateLogger("Plexus.Daemon.Server.CniEndpoint");
            logger.ServiceFailed("the pods cache (list+watch)", "InvalidOperationException", "bug", new InvalidOperationException("bug"));
            logger.RequestCrashed("ADD", new InvalidOperationException("bug"));
            logger.RequestFailed("ADD", 7, "bad config", null);
            logger.RequestFinished("ADD", "ok", 12);
            logger.WatchRestarted("pods", "closed");
        }

        Assert.Equal(shown, capture.EventIds);
    }

    public static TheoryData<string?, string?, string, string[]> Requests => new()
    {
        // plexusd's logLevel, the request config's, what the request is, what plexusd's log shows of it.
        // A DEL of an unknown container whose readiness file is missing: an error line, a verbose line, then "finished".
        // No logLevel anywhere: plexusd's default, verbose, not Multus's panic.
        { null, null, "del", [MetaError, MetaVerbose, Finished] },
        // Only the request names one: it holds.
        { null, "error", "del", [MetaError, Finished] },
        { null, "panic", "del", [Finished] },
        // plexusd's is set over the request's.
        { "error", null, "del", [MetaError] },
        { "error", "verbose", "del", [MetaError] },
        { "debug", "panic", "del", [MetaError, MetaVerbose, Finished] },
        { "panic", null, "del", [] },
        // A config the meta-plugin refuses (code 7): its error line, then plexusd's warning; at panic neither.
        { "error", null, "refused", [MetaError, Failed] },
        { "panic", null, "refused", [] },
        { "panic", "debug", "refused", [] },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Request_DaemonAndConfigLevels_PlexusdsThenTheRequestsThenVerbose(
        string? daemonLevel, string? requestLevel, string request, string[] expected)
    {
        var lines = await RunAsync(daemonLevel, requestLevel, request);

        Assert.Equal(expected, new[] { MetaError, MetaVerbose, Finished, Failed }.Where(m => lines.Any(l => l.Contains(m, StringComparison.Ordinal))));
        if (daemonLevel == "panic" && expected.Length == 0)
        {
            // Nothing of plexusd's own either, not even "listening on".
            Assert.Empty(lines);
        }
    }

    /// <summary>plexusd built from a config file's keys, one DEL through the shim; the lines plexusd wrote to stdout.</summary>
    private async Task<IReadOnlyList<string>> RunAsync(string? daemonLevel, string? requestLevel, string request)
    {
        var socketDir = Path.Combine(_dir, "run");
        var (settings, errors) = DaemonSettingsParser.Parse(Encoding.UTF8.GetBytes($$"""
            {"socketDir":"{{socketDir}}","metricsAddress":"off"{{Key("logLevel", daemonLevel)}}}
            """), _ => null);
        Assert.Empty(errors);
        var networks = request == "del" ? """ "delegates":[{"cniVersion":"1.0.0","name":"n","type":"noop"}] """ : """ "confDir":"/nonexistent" """;
        var config = Encoding.UTF8.GetBytes($$"""
            {"cniVersion":"1.0.0","name":"plexus","type":"plexus-shim","daemonSocketDir":"{{socketDir}}","cniDir":"{{_dir}}/cni",
             "readinessindicatorfile":"{{_dir}}/not-ready",{{networks}}{{Key("logLevel", requestLevel)}}}
            """);
        return await ConsoleLines.CaptureAsync(async () =>
        {
            await using var server = ThickDaemon.Build(settings!, _ => null);
            await server.StartAsync(CancellationToken.None);
            var output = await ShimRunner.RunAsync(TestDaemon.Env("DEL"), config, CancellationToken.None);
            Assert.Equal(request == "del" ? 0 : 1, output.ExitCode);
        });
    }

    private static string Key(string name, string? value) => value is null ? "" : $",\"{name}\":\"{value}\"";

    /// <summary>The event id of every line that got past the factory's filters.</summary>
    private sealed class EventCapture : ILoggerProvider, ILogger
    {
        private readonly List<int> _ids = [];

        public IReadOnlyList<int> EventIds => _ids;

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _ids.Add(eventId.Id);

        public void Dispose()
        {
        }
    }
}
