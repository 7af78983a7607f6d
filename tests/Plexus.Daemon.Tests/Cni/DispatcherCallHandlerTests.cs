using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Plexus.Cni;
using Plexus.Cni.Results;
using Plexus.Cni.Skel;
using Plexus.Daemon.Cni;
using Plexus.Daemon.Tests.Testing;

namespace Plexus.Daemon.Tests.Cni;

/// <summary>Thick mode answers exactly what thin mode prints: same dispatcher, same plugin, compared byte for byte.</summary>
public sealed class DispatcherCallHandlerTests
{
    public static TheoryData<string, string> Cases => new()
    {
        // verb, what the plugin does
        { "ADD", "ok" },
        { "ADD", "fail" },
        { "DEL", "fail" },
        { "DEL", "ok" },
        { "CHECK", "fail" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Shim_SameCallAsThinPlugin_PrintsSameBytesAndExitCode(string verb, string behaviour)
    {
        var plugin = new FixedPlugin(behaviour == "fail");
        await using var daemon = await TestDaemon.StartAsync(
            new DispatcherCallHandler(plugin, NullLogger<DispatcherCallHandler>.Instance));
        var env = TestDaemon.Env(verb);
        var config = TestDaemon.Config(daemon.Options.SocketDir, "0.3.1");

        var thick = await Protocol.Shim.ShimRunner.RunAsync(env, config, CancellationToken.None);
        var (thinExit, thinOut) = await RunThinAsync(env, config, plugin);

        Assert.Equal(thinExit, thick.ExitCode);
        Assert.Equal(Encoding.UTF8.GetString(thinOut), Encoding.UTF8.GetString(thick.Stdout));
        Assert.Equal(verb == "ADD" || behaviour == "fail", thick.Stdout.Length > 0);
    }

    [Fact]
    public async Task Shim_InvalidEnvironment_SameErrorAsThinPlugin()
    {
        var plugin = new FixedPlugin(fail: false);
        await using var daemon = await TestDaemon.StartAsync(new DispatcherCallHandler(plugin, NullLogger<DispatcherCallHandler>.Instance));
        var env = TestDaemon.Env("DEL");
        env["CNI_CONTAINERID"] = "bad id!";
        var config = TestDaemon.Config(daemon.Options.SocketDir);

        var thick = await Protocol.Shim.ShimRunner.RunAsync(env, config, CancellationToken.None);
        var (thinExit, thinOut) = await RunThinAsync(env, config, plugin);

        Assert.Equal((thinExit, Encoding.UTF8.GetString(thinOut)), (thick.ExitCode, Encoding.UTF8.GetString(thick.Stdout)));
        Assert.Equal(CniErrorCode.InvalidEnvironment, (int)TestDaemon.Json(thick)["code"]!);
        Assert.Equal(0, plugin.Calls);
    }

    // A Multus shim forwards any config unread, so the daemon meets a repeated top-level cniVersion itself. It answers as
    // the thin plugin does: refused (the config parser takes no repeated key), in the last cniVersion, as the runtime
    // read it. The first is the latest, so reading the first, or falling back to the latest, would answer 1.1.0.
    [Fact]
    public async Task Daemon_ConfigWithRepeatedCniVersion_ThinPluginsErrorInTheLastVersion()
    {
        var plugin = new FixedPlugin(fail: false);
        await using var daemon = await TestDaemon.StartAsync(new DispatcherCallHandler(plugin, NullLogger<DispatcherCallHandler>.Instance));
        using var http = daemon.UnixHttp();
        var env = TestDaemon.Env("ADD");
        var config = """{"cniVersion":"1.1.0","name":"n","type":"multus-shim","cniVersion":"0.4.0"}"""u8.ToArray();

        using var response = await http.PostAsync("http://dummy/cni", new ByteArrayContent(Protocol.CniRequestBody.Encode(env, config)));
        var (thinExit, thinOut) = await RunThinAsync(env, config, plugin);

        var answer = await response.Content.ReadAsStringAsync();
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(PluginDispatcher.ExitFailure, thinExit);
        Assert.Equal(Encoding.UTF8.GetString(thinOut), answer);
        Assert.Equal("0.4.0", (string?)System.Text.Json.Nodes.JsonNode.Parse(answer)!["cniVersion"]);
        Assert.Equal(0, plugin.Calls);
    }

    private static async Task<(int Exit, byte[] Stdout)> RunThinAsync(Dictionary<string, string> env, byte[] config, ICniPlugin plugin)
    {
        using var stdout = new MemoryStream();
        var exit = await PluginDispatcher.RunAsync(env, new MemoryStream(config), stdout, TextWriter.Null, plugin, CancellationToken.None);
        return (exit, stdout.ToArray());
    }

    /// <summary>Answers ADD with a 1.0.0 result (the dispatcher converts it) or fails every verb with a delegate error.</summary>
    private sealed class FixedPlugin(bool fail) : ICniPlugin
    {
        private int _calls;

        public int Calls => _calls;

        public Task<CniResult> AddAsync(CniInvocation invocation, CancellationToken cancellationToken)
        {
            Outcome(invocation);
            var result = CniResult.Parse(System.Text.Json.Nodes.JsonNode.Parse("""
                {"cniVersion":"1.0.0","interfaces":[{"name":"eth0","mac":"0a:58:0a:01:00:05"}],
                 "ips":[{"address":"10.1.0.5/24","gateway":"10.1.0.1","interface":0}],"routes":[{"dst":"0.0.0.0/0"}]}
                """)!, CniVersion.V100);
            return Task.FromResult(result);
        }

        public Task DelAsync(CniInvocation invocation, CancellationToken cancellationToken) => Task.Run(() => Outcome(invocation), cancellationToken);

        public Task CheckAsync(CniInvocation invocation, CancellationToken cancellationToken) => Task.Run(() => Outcome(invocation), cancellationToken);

        public Task GcAsync(CniInvocation invocation, CancellationToken cancellationToken) => Task.Run(() => Outcome(invocation), cancellationToken);

        public Task StatusAsync(CniInvocation invocation, CancellationToken cancellationToken) => Task.Run(() => Outcome(invocation), cancellationToken);

        private void Outcome(CniInvocation invocation)
        {
            Interlocked.Increment(ref _calls);
            if (fail)
            {
                throw new CniException(CniErrorCode.IoFailure, $"delegate \"ns1/macvlan\" {invocation.Command} failed: netns gone", "link eth1 not found");
            }
        }
    }
}
