using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Plexus.Daemon.Config;
using Plexus.Daemon.Protocol.Shim;
using Plexus.Daemon.Tests.Testing;
using Plexus.NodeAgent.IO;

namespace Plexus.Daemon.Tests.Agent;

/// <summary>plexusd with <c>generateConfig</c>: the generated shim config, and the watch loop's doctor findings as metrics.</summary>
public sealed class InProcessAgentTests : IDisposable
{
    private const string NodeNet = """{"cniVersion":"1.0.0","name":"node-net","plugins":[{"type":"noop"}]}""";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _dir = Directory.CreateTempSubdirectory("plexusd-agent-").FullName;

    public InProcessAgentTests()
    {
        Directory.CreateDirectory(ConfDir);
        Directory.CreateDirectory(BinDir);
        File.WriteAllText(Path.Combine(ConfDir, "10-node.conflist"), NodeNet);
        // The primary's only plugin: does nothing, so a DEL through the generated config touches nothing on the host.
        var noop = Path.Combine(BinDir, "noop");
        File.WriteAllText(noop, "#!/bin/sh\nexit 0\n");
        File.SetUnixFileMode(noop, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private string ConfDir => Path.Combine(_dir, "net.d");

    private string BinDir => Path.Combine(_dir, "bin");

    private string SocketDir => Path.Combine(_dir, "run");

    private string Generated => Path.Combine(ConfDir, "00-plexus.conflist");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Generate_NonDefaultSocketDir_ShimConfigNamesItAndReachesThisDaemon()
    {
        await using var server = await StartAsync();

        var list = JsonNode.Parse(await WaitForAsync(() => File.Exists(Generated) ? File.ReadAllBytes(Generated) : null))!;
        var plugin = list["plugins"]![0]!.AsObject();
        Assert.Equal("plexus-shim", (string?)plugin["type"]);
        Assert.Equal(SocketDir, (string?)plugin["daemonSocketDir"]);
        // What a runtime sends the first plugin of a conflist: the plugin's conf with the list's name and cniVersion.
        plugin["name"] = (string?)list["name"];
        plugin["cniVersion"] = (string?)list["cniVersion"];
        var del = await ShimRunner.RunAsync(TestDaemon.Env("DEL", "never-added"), Encoding.UTF8.GetBytes(plugin.ToJsonString()), CancellationToken.None);
        Assert.Equal((0, ""), (del.ExitCode, Encoding.UTF8.GetString(del.Stdout)));
        var metrics = PrometheusText.Parse(await ScrapeAsync(server));
        Assert.Equal(1, metrics.Value("plexus_daemon_requests_total", ("verb", "DEL"), ("result", "success")));
    }

    [Fact]
    public void Parse_DefaultSocketDir_GeneratedConfigLeavesTheShimDefault()
    {
        var (settings, errors) = DaemonSettingsParser.Parse("""{"generateConfig":true}"""u8, _ => null);

        Assert.Empty(errors);
        Assert.Null(settings!.Generator!.Settings.DaemonSocketDir);
    }

    [Fact]
    public async Task Watch_SelfDelegatingConfig_CountedOnceWhileItStays()
    {
        File.WriteAllText(Path.Combine(ConfDir, "99-multus.conf"), $$"""
            {"cniVersion":"1.0.0","name":"multus-cni-network","type":"multus","delegates":[
              {"cniVersion":"1.0.0","name":"multus-cni-network","type":"multus","delegates":[{{NodeNet}}]}]}
            """);
        await using var server = await StartAsync();

        var first = await WaitForAsync(async () =>
            PrometheusText.Parse(await ScrapeAsync(server)) is var m && m.Value("plexus_doctor_findings_total", ("finding", "self-delegation")) > 0 ? m : null);
        var passes = first.Value("plexus_config_regenerations_total", ("result", "unchanged"));
        File.WriteAllText(Path.Combine(ConfDir, "notes.txt"), "a change in the conf dir makes the watcher pass again");
        var later = await WaitForAsync(async () =>
            PrometheusText.Parse(await ScrapeAsync(server)) is var m && m.Value("plexus_config_regenerations_total", ("result", "unchanged")) > passes ? m : null);

        Assert.Equal(1, first.Value("plexus_doctor_findings_total", ("finding", "self-delegation")));
        Assert.Equal(1, first.Value("plexus_doctor_findings_total", ("finding", "nesting-depth")));
        Assert.Equal(1, later.Value("plexus_doctor_findings_total", ("finding", "self-delegation")));
    }

    [Fact]
    public async Task Watch_PrimaryChanged_RegeneratedWithoutAStaleConfigFinding()
    {
        await using var server = await StartAsync();
        await WaitForAsync(() => File.Exists(Generated) ? File.ReadAllBytes(Generated) : null);

        File.WriteAllText(Path.Combine(ConfDir, "10-node.conflist"), NodeNet.Replace("\"noop\"", "\"noop\",\"mtu\":1400", StringComparison.Ordinal));

        // The pass after the change starts from the generated config wrapping the old primary, and rewrites it.
        var after = await WaitForAsync(async () =>
            PrometheusText.Parse(await ScrapeAsync(server)) is var m && m.Value("plexus_config_regenerations_total", ("result", "written")) >= 2 ? m : null);
        Assert.Contains("1400", File.ReadAllText(Generated), StringComparison.Ordinal);
        Assert.Equal(0, after.Value("plexus_doctor_findings_total", ("finding", "stale-config")));
    }

    [Fact]
    public async Task Generate_WhileRunning_HoldsTheConfDirsAgentLockSoAConfigWatchWaits()
    {
        var server = await StartAsync();
        await WaitForAsync(() => File.Exists(Generated) ? "" : null);

        Assert.Null(ConfDirLock.TryAcquire(ConfDir, "config watch", TimeProvider.System, out var holder));
        Assert.Contains($"pid {Environment.ProcessId}", holder, StringComparison.Ordinal);
        Assert.Contains("watching the conf dir", holder, StringComparison.Ordinal);

        await server.DrainAndStopAsync("SIGTERM");
        await server.DisposeAsync();
        using var released = ConfDirLock.TryAcquire(ConfDir, "config watch", TimeProvider.System, out _);
        Assert.NotNull(released);
    }

    [Theory]
    [InlineData("", false)]
    [InlineData(""","cleanupConfigOnExit":true""", false)]
    [InlineData(""","cleanupConfigOnExit":false""", true)]
    public async Task Stop_CleanupConfigOnExit_GeneratedConfigRemovedUnlessKept(string extra, bool kept)
    {
        var server = await StartAsync(extra);
        await WaitForAsync(() => File.Exists(Generated) ? "" : null);

        await server.DrainAndStopAsync("SIGTERM");
        await server.DisposeAsync();

        Assert.Equal(kept, File.Exists(Generated));
    }

    private async Task<DaemonServer> StartAsync(string extra = "")
    {
        var (settings, errors) = DaemonSettingsParser.Parse(Encoding.UTF8.GetBytes($$"""
            {"socketDir":"{{SocketDir}}","generateConfig":true,"confDir":"{{ConfDir}}","binDir":"{{BinDir}}",
             "cniDir":"{{_dir}}/cache","backupDir":"{{_dir}}/backups","logLevel":"error"{{extra}}}
            """), _ => null);
        Assert.Empty(errors);
        settings = settings! with { Server = settings.Server with { MetricsEndpoint = new IPEndPoint(IPAddress.Loopback, 0) } };
        var server = ThickDaemon.Build(settings, _ => null);
        await server.StartAsync(CancellationToken.None);
        return server;
    }

    private static async Task<string> ScrapeAsync(DaemonServer server)
    {
        using var http = new HttpClient();
        return await http.GetStringAsync(server.MetricsUri);
    }

    private static Task<T> WaitForAsync<T>(Func<T?> probe)
        where T : class => WaitForAsync(() => Task.FromResult(probe()));

    /// <summary>Polls until the probe has an answer; the deadline only bounds a broken run.</summary>
    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe)
        where T : class
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (await probe() is { } answer)
            {
                return answer;
            }
            Assert.True(waited.Elapsed < Patience, "the in-process agent did not get there in time");
            await Task.Delay(50);
        }
    }
}
