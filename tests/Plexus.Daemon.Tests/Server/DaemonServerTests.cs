using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Plexus.Cni;
using Plexus.Daemon.Cni;
using Plexus.Daemon.Protocol.Shim;
using Plexus.Daemon.Tests.Testing;

namespace Plexus.Daemon.Tests.Server;

public sealed class DaemonServerTests
{
    private static readonly JsonObject AddResult = new()
    {
        ["cniVersion"] = "0.4.0",
        ["interfaces"] = new JsonArray(new JsonObject { ["name"] = "eth0" }),
        ["ips"] = new JsonArray(new JsonObject { ["version"] = "4", ["address"] = "10.1.0.5/24", ["interface"] = 0 }),
    };

    [Fact]
    public async Task Cni_AddThroughShim_PrintsHandlersResultAndPassesCallThrough()
    {
        CniCall? seen = null;
        var handler = new ScriptedHandler((call, _) =>
        {
            seen = call;
            return Task.FromResult(CniOutcome.Success(CniVersion.V040, AddResult.DeepClone().AsObject()));
        });
        await using var daemon = await TestDaemon.StartAsync(handler);

        var output = await daemon.ShimAsync("ADD");

        Assert.Equal(0, output.ExitCode);
        Assert.True(JsonNode.DeepEquals(AddResult, TestDaemon.Json(output)));
        Assert.Equal(CniCallKind.Cni, seen!.Kind);
        Assert.Equal("ADD", seen.Command);
        Assert.Equal(TestDaemon.Config(daemon.Options.SocketDir), seen.Body.Config);
    }

    [Fact]
    public async Task Cni_DelError_ReachesTheRuntimeAsErrorJsonWithErrorExit()
    {
        var handler = new ScriptedHandler((_, _) => Task.FromResult(CniOutcome.Failure(CniVersion.V040,
            new CniException(CniErrorCode.IoFailure, "delegate \"ns1/macvlan\" DEL failed", "netns gone"))));
        await using var daemon = await TestDaemon.StartAsync(handler);

        var output = await daemon.ShimAsync("DEL");

        Assert.Equal(ShimOutput.ErrorExit, output.ExitCode);
        var expected = new JsonObject
        {
            ["cniVersion"] = "0.4.0",
            ["code"] = 5,
            ["msg"] = "delegate \"ns1/macvlan\" DEL failed",
            ["details"] = "netns gone",
        };
        Assert.True(JsonNode.DeepEquals(expected, TestDaemon.Json(output)), Encoding.UTF8.GetString(output.Stdout));
    }

    [Fact]
    public async Task Cni_HandlerThrows_AnswersInternalErrorAndKeepsServing()
    {
        var calls = 0;
        var handler = new ScriptedHandler((_, _) => Interlocked.Increment(ref calls) == 1
            ? throw new InvalidOperationException("boom")
            : Task.FromResult(CniOutcome.Success(CniVersion.V040, null)));
        await using var daemon = await TestDaemon.StartAsync(handler);

        var first = TestDaemon.Json(await daemon.ShimAsync("ADD"));
        var second = await daemon.ShimAsync("DEL");

        Assert.Equal(CniErrorCode.PluginSpecific, (int)first["code"]!);
        Assert.Contains("boom", (string?)first["msg"], StringComparison.Ordinal);
        Assert.Equal((0, 0), (second.ExitCode, second.Stdout.Length));
    }

    [Fact]
    public async Task Cni_BodyNotJson_Answers400WithDecodeError()
    {
        var handler = new ScriptedHandler((_, _) => throw new InvalidOperationException("must not run"));
        await using var daemon = await TestDaemon.StartAsync(handler);
        using var http = daemon.UnixHttp();

        using var response = await http.PostAsync("/cni", new StringContent("{\"env\":"));

        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(CniErrorCode.DecodeFailure, (int)error["code"]!);
        Assert.Equal(0, handler.Calls);
    }

    [Fact]
    public async Task Cni_BodyOverFourMiB_RefusedWithoutRunning()
    {
        var handler = new ScriptedHandler((_, _) => throw new InvalidOperationException("must not run"));
        await using var daemon = await TestDaemon.StartAsync(handler);
        using var http = daemon.UnixHttp();
        var body = "{\"env\":{},\"config\":\"" + new string('A', (4 << 20) + 4) + "\"}";

        // plexusd answers 413 and closes; a sender still writing the rest then sees the connection reset.
        try
        {
            using var response = await http.PostAsync("/cni", new StringContent(body));
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        }
        catch (HttpRequestException e) when (e.InnerException is IOException)
        {
        }

        Assert.Equal(0, handler.Calls);
        using var health = await daemon.UnixHttp().GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Theory]
    [InlineData("""{"env":null,"config":"e30="}""")]
    [InlineData("""{"env":{"CNI_COMMAND":null},"config":"e30="}""")]
    [InlineData("""{"env":{"CNI_COMMAND":"ADD"},"config":null}""")]
    public async Task Cni_BodyWithNulls_Answers400WithDecodeError(string body)
    {
        var handler = new ScriptedHandler((_, _) => throw new InvalidOperationException("must not run"));
        await using var daemon = await TestDaemon.StartAsync(handler);
        using var http = daemon.UnixHttp();

        using var response = await http.PostAsync("/cni", new StringContent(body));

        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(CniErrorCode.DecodeFailure, (int)error["code"]!);
        Assert.Equal(0, handler.Calls);
    }

    // The probes answer GET, HEAD and POST, as Multus's daemon does for its shim.
    [Theory]
    [InlineData("GET", "/healthz", HttpStatusCode.OK)]
    [InlineData("HEAD", "/healthz", HttpStatusCode.OK)]
    [InlineData("POST", "/healthz", HttpStatusCode.OK)]
    [InlineData("PUT", "/healthz", HttpStatusCode.MethodNotAllowed)]
    [InlineData("GET", "/readyz", HttpStatusCode.OK)]
    [InlineData("HEAD", "/readyz", HttpStatusCode.OK)]
    [InlineData("POST", "/readyz", HttpStatusCode.OK)]
    [InlineData("DELETE", "/readyz", HttpStatusCode.MethodNotAllowed)]
    [InlineData("GET", "/cni", HttpStatusCode.MethodNotAllowed)]
    [InlineData("HEAD", "/cni", HttpStatusCode.MethodNotAllowed)]
    [InlineData("GET", "/metrics", HttpStatusCode.NotFound)]
    [InlineData("POST", "/other", HttpStatusCode.NotFound)]
    public async Task UnixSocket_Paths_AnswerAsDocumented(string method, string path, HttpStatusCode expected)
    {
        await using var daemon = await TestDaemon.StartAsync(new ScriptedHandler((_, _) => throw new InvalidOperationException()));
        using var http = daemon.UnixHttp();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Content = method is "POST" or "PUT" ? new StringContent("") : null;

        using var response = await http.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task MetricsPort_ServesMetricsAndTheProbesNeverTheCniApi()
    {
        await using var daemon = await TestDaemon.StartAsync(new ScriptedHandler((_, _) => throw new InvalidOperationException()));
        using var http = new HttpClient();

        using var cni = await http.PostAsync(new Uri(daemon.Server.MetricsUri!, "/cni"), new StringContent(""));
        using var healthz = await http.GetAsync(new Uri(daemon.Server.MetricsUri!, "/healthz"));
        using var readyz = await http.GetAsync(new Uri(daemon.Server.MetricsUri!, "/readyz"));

        Assert.Equal(HttpStatusCode.NotFound, cni.StatusCode);
        Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
        Assert.Equal(HttpStatusCode.OK, readyz.StatusCode);
        Assert.Equal(IPAddress.Loopback.ToString(), daemon.Server.MetricsUri!.Host);
    }

    [Fact]
    public async Task Start_Modes_DirectoryIs0700AndSocket0600()
    {
        await using var daemon = await TestDaemon.StartAsync(new ScriptedHandler((_, _) => throw new InvalidOperationException()));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(daemon.Options.SocketDir));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(daemon.Options.SocketPath));
    }

    [Fact]
    public async Task Start_SecondDaemonOnSameSocket_RefusedAndFirstKeepsServing()
    {
        var handler = new ScriptedHandler((_, _) => Task.FromResult(CniOutcome.Success(CniVersion.V040, null)));
        await using var daemon = await TestDaemon.StartAsync(handler);

        var error = Assert.Throws<InvalidOperationException>(() => DaemonServer.Build(daemon.Options, new Metrics.DaemonMetrics(), _ => { }, _ => { }));

        Assert.Contains("another plexusd", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await daemon.ShimAsync("CHECK")).ExitCode);
    }

    [Fact]
    public async Task Dispose_RemovesTheSocket()
    {
        var daemon = await TestDaemon.StartAsync(new ScriptedHandler((_, _) => throw new InvalidOperationException()));
        var socket = daemon.Options.SocketPath;

        await daemon.Server.DisposeAsync();

        Assert.False(File.Exists(socket));
        await daemon.DisposeAsync();
    }
}
