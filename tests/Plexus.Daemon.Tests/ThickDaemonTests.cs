using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Plexus.Cni;
using Plexus.Daemon.Caches;
using Plexus.Daemon.Cni;
using Plexus.Daemon.Config;
using Plexus.Daemon.Metrics;
using Plexus.Daemon.Protocol.Shim;
using Plexus.Daemon.Tests.Testing;

namespace Plexus.Daemon.Tests;

public sealed class ThickDaemonTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("plexusd-compose-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("--config=/nonexistent/plexusd.json", "cannot read config")]
    [InlineData("--verbose", "usage")]
    [InlineData("--config=", "usage")]
    [InlineData("--config=/", "it is a directory")]
    public async Task RunAsync_BadArguments_Exit2WithReason(string arg, string expected)
    {
        using var stderr = new StringWriter();

        var exit = await ThickDaemon.RunAsync([arg], _ => null, stderr);

        Assert.Equal(2, exit);
        Assert.Contains(expected, stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_InvalidConfig_Exit2NamingEveryBadKey()
    {
        var (exit, stderr) = await RunWithConfigAsync("""{"maxInFlight":"lots","metricsAddress":"nowhere"}""");


        Assert.Equal(2, exit);
        Assert.Contains("maxInFlight", stderr, StringComparison.Ordinal);
        Assert.Contains("metricsAddress", stderr, StringComparison.Ordinal);
    }

    // Each crashed plexusd with an unhandled exception (exit 134) instead of naming the key.
    [Theory]
    [InlineData("requestTimeoutSeconds", "1e30")]
    [InlineData("queueTimeoutSeconds", "1e12")]
    [InlineData("drainTimeoutSeconds", "1e12")]
    [InlineData("metricsMaxConnections", "0")]
    [InlineData("metricsHeadTimeoutSeconds", "1e12")]
    [InlineData("socketDir", "\"/tmp/dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd\"")]
    public async Task RunAsync_ValueBeyondWhatWorks_Exit2NamingTheKey(string key, string value)
    {
        // A socket dir of its own, should the value be accepted after all: never the node's default.
        var socketDir = key == "socketDir" ? "" : $"\"socketDir\":\"{_dir}/run\",";
        var (exit, stderr) = await RunWithConfigAsync($$"""{"metricsAddress":"off",{{socketDir}}"{{key}}":{{value}}}""");


        Assert.Equal(2, exit);
        Assert.Contains($"\"{key}\"", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_StopRequested_DrainsAndExits0RemovingItsSocket()
    {
        var path = Path.Combine(_dir, "daemon.json");
        var socket = Path.Combine(_dir, "run", "plexus.sock");
        await File.WriteAllTextAsync(path, $$"""{"socketDir":"{{_dir}}/run","metricsAddress":"off"}""");
        var daemon = new InProcessDaemon(path);
        await using (daemon)
        {
            await WaitUntilAsync(() => File.Exists(socket) || daemon.Exit.IsCompleted);
            Assert.False(daemon.Exit.IsCompleted, $"plexusd ended before it served: {daemon.Stderr}");
        }

        Assert.Equal(0, await daemon.Exit);
        Assert.False(File.Exists(socket), "the stopped daemon left its socket behind");
    }

    [Fact]
    public async Task RunAsync_SocketDirIsAFile_Exit1SayingSo()
    {
        var file = Path.Combine(_dir, "run");
        await File.WriteAllTextAsync(file, "");
        var (exit, stderr) = await RunWithConfigAsync($$"""{"socketDir":"{{file}}","metricsAddress":"off"}""");


        Assert.Equal(1, exit);
        Assert.Contains($"plexusd: cannot start: socketDir {file} is a file, not a directory", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ChrootDirMissing_Exit1NamingTheDirAndErrno()
    {
        var root = Path.Combine(_dir, "no-such-hostroot");
        var (exit, stderr) = await RunWithConfigAsync($$"""{"chrootDir":"{{root}}","socketDir":"{{_dir}}/run","metricsAddress":"off"}""");


        Assert.Equal(1, exit);
        Assert.Contains($"cannot chroot into chrootDir {root}", stderr, StringComparison.Ordinal);
        Assert.Contains("(errno 2)", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "run")), "plexusd created its socket dir although it could not chroot");
    }

    [Fact]
    public async Task RunAsync_MetricsPortTaken_Exit1NamingTheAddress()
    {
        using var holder = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        holder.Listen();
        var taken = (IPEndPoint)holder.LocalEndPoint!;
        var (exit, stderr) = await RunWithConfigAsync($$"""{"socketDir":"{{_dir}}/run","metricsAddress":"{{taken}}","generateConfig":false}""");


        Assert.Equal(1, exit);
        Assert.Contains($"plexusd: cannot start: cannot listen for metrics on {taken} (metricsAddress", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "run", "plexus.sock")), "the unix socket of a daemon that did not start is left behind");
    }

    [Fact]
    public async Task Build_NoApiServer_ServesTheRealMetaPlugin()
    {
        var settings = new DaemonSettings
        {
            Server = new DaemonOptions { SocketDir = Path.Combine(_dir, "run"), MetricsEndpoint = new IPEndPoint(IPAddress.Loopback, 0) },
        };
        await using var server = ThickDaemon.Build(settings, _ => null);
        await server.StartAsync(CancellationToken.None);
        var config = Encoding.UTF8.GetBytes($$"""
            {"cniVersion":"0.4.0","name":"plexus","type":"plexus-shim","daemonSocketDir":"{{settings.Server.SocketDir}}",
             "cniDir":"{{_dir}}/cni","delegates":[{"cniVersion":"0.4.0","name":"n1","type":"bridge"}]}
            """);

        // DEL of a container the meta-plugin never saw: idempotent success, as thin mode.
        var output = await ShimRunner.RunAsync(TestDaemon.Env("DEL", "never-added"), config, CancellationToken.None);

        Assert.Equal((0, ""), (output.ExitCode, Encoding.UTF8.GetString(output.Stdout)));
    }

    [Fact]
    public async Task ServeAsync_CacheLoopCrashes_ExitsNonZeroNamingTheCache()
    {
        var log = new CapturingLoggerProvider();
        await using var server = BuildServer(log, services =>
            new KubeCaches().Register(services, new CrashingKubeApi(), nodeName: null));
        using var stderr = new StringWriter();

        var exit = await ServeAsync(server, stderr);

        Assert.Equal(ThickDaemon.ExitServiceFailed, exit);
        Assert.Contains("the network-attachment-definitions cache (list+watch)", stderr.ToString(), StringComparison.Ordinal);
        var line = Assert.Single(log.Lines, l => l.Contains(" crashed (", StringComparison.Ordinal));
        Assert.StartsWith("Critical", line, StringComparison.Ordinal);
        Assert.Contains("the network-attachment-definitions cache (list+watch) crashed (InvalidOperationException: a bug in the list path)", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServeAsync_DrainedBySignalPath_ExitsZero()
    {
        var log = new CapturingLoggerProvider();
        await using var server = BuildServer(log, _ => { });
        using var stderr = new StringWriter();

        var serving = ServeAsync(server, stderr);
        await WaitUntilAsync(() => log.Lines.Any(l => l.Contains("listening on", StringComparison.Ordinal)));
        await server.DrainAndStopAsync("SIGTERM");

        Assert.Equal(0, await serving);
        Assert.Equal("", stderr.ToString());
        Assert.DoesNotContain(log.Lines, l => l.Contains(" crashed (", StringComparison.Ordinal));
    }

    /// <summary>plexusd started as <c>plexusd --config=FILE</c> with <paramref name="json"/> in FILE: its exit code and stderr.</summary>
    private async Task<(int Exit, string Stderr)> RunWithConfigAsync(string json)
    {
        var path = Path.Combine(_dir, "daemon.json");
        await File.WriteAllTextAsync(path, json);
        await using var daemon = new InProcessDaemon(path);
        // A config that is accepted after all would serve for ever: the test fails instead of hanging, and the
        // scope stops that daemon rather than leave it serving (its socket, its SIGTERM handler) for the whole run.
        var exit = await daemon.Exit.WaitAsync(TimeSpan.FromSeconds(30));
        return (exit, daemon.Stderr.ToString());
    }

    /// <summary><see cref="ThickDaemon.RunAsync"/> in this process; disposing stops it as SIGTERM does and waits until it is gone.</summary>
    private sealed class InProcessDaemon : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();

        public InProcessDaemon(string configPath) => Exit = ThickDaemon.RunAsync(["--config=" + configPath], _ => null, Stderr, _stop.Token);

        public StringWriter Stderr { get; } = new();

        public Task<int> Exit { get; }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            // WhenAny: this only waits until the daemon is gone; what it returned or threw is for the test to assert.
            await Task.WhenAny(Exit).WaitAsync(TimeSpan.FromSeconds(30));
            _stop.Dispose();
            await Stderr.DisposeAsync();
        }
    }

    private DaemonServer BuildServer(CapturingLoggerProvider log, Action<IServiceCollection> services)
    {
        var options = new DaemonOptions { SocketDir = Path.Combine(_dir, "run"), MetricsEndpoint = null };
        var handler = new ScriptedHandler((_, _) => Task.FromResult(CniOutcome.Success(CniVersion.V040, null)));
        return DaemonServer.Build(options, new DaemonMetrics(), logging => logging.AddProvider(log), s =>
        {
            s.AddSingleton<ICniCallHandler>(handler);
            services(s);
        });
    }

    private static async Task<int> ServeAsync(DaemonServer server, TextWriter stderr) =>
        await ThickDaemon.ServeAsync(server, stderr).WaitAsync(TimeSpan.FromSeconds(30));

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 3000 && !condition(); i++)
        {
            await Task.Delay(10);
        }
        Assert.True(condition(), "condition not reached within 30 s");
    }

    /// <summary>An API port whose first request hits a bug (not an API or transport error the loop retries).</summary>
    private sealed class CrashingKubeApi : IKubeApi
    {
        public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("a bug in the list path");
    }
}
