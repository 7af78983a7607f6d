using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Plexus.Cni;
using Plexus.Cni.Results;
using Plexus.Daemon.Cni;
using Plexus.Http;
using Plexus.Daemon.Tests.Testing;

namespace Plexus.Daemon.Tests.Server;

/// <summary>What Multus's shim and dashboards see of plexusd: probe methods, error statuses, the request counter.</summary>
public sealed class MultusWireTests
{
    private static ScriptedHandler Succeeds() => Succeeds([]);

    // Succeeds, keeping each call it is given.
    private static ScriptedHandler Succeeds(List<CniCall> calls) => new((call, _) =>
    {
        calls.Add(call);
        return Task.FromResult(CniOutcome.Success(CniVersion.V040, new() { ["cniVersion"] = "0.4.0" }));
    });

    private static StringContent CniBody(string command, string containerId = "c1", byte[]? config = null) => new(new JsonObject
    {
        ["env"] = new JsonObject(TestDaemon.Env(command, containerId).Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value))),
        ["config"] = Convert.ToBase64String(config ?? TestDaemon.Config("/unused")),
    }.ToJsonString());

    [Theory]
    [InlineData("HEAD")]
    [InlineData("POST")]
    public async Task Readyz_WhileDraining_Answers500ForEveryProbeMethod(string method)
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new ScriptedHandler(async (_, _) =>
        {
            await release.Task;
            return CniOutcome.Success(CniVersion.V040, null);
        });
        await using var daemon = await TestDaemon.StartAsync(handler);
        using var http = daemon.UnixHttp();
        var inFlight = Task.Run(() => daemon.ShimAsync("DEL"));
        await WaitUntilAsync(() => handler.Calls == 1);

        var drained = daemon.Server.DrainAndStopAsync("SIGTERM");
        using var readyz = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/readyz"));
        release.SetResult();
        await drained;

        Assert.Equal(HttpStatusCode.InternalServerError, readyz.StatusCode);
        Assert.Equal(0, (await inFlight).ExitCode);
    }

    public enum TryAgainCase
    {
        Busy,
        Draining,
        TimedOut,
    }

    [Theory]
    [InlineData(TryAgainCase.Busy, "busy")]
    [InlineData(TryAgainCase.Draining, "shutting down")]
    [InlineData(TryAgainCase.TimedOut, "did not finish within")]
    public async Task Cni_TryAgainLater_Answers400WithCniErrorJsonCode11(TryAgainCase which, string message)
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new ScriptedHandler(async (_, _) =>
        {
            await release.Task;
            return CniOutcome.Success(CniVersion.V040, null);
        });
        await using var daemon = await TestDaemon.StartAsync(handler, o => o with
        {
            MaxInFlight = 1,
            MaxQueued = 0,
            RequestTimeout = which == TryAgainCase.TimedOut ? TimeSpan.FromMilliseconds(200) : o.RequestTimeout,
        });
        using var http = daemon.UnixHttp();
        Task<HttpResponseMessage>? first = null;
        Task? drained = null;
        if (which != TryAgainCase.TimedOut)
        {
            first = http.PostAsync("/cni", CniBody("ADD", "first"));
            await WaitUntilAsync(() => handler.Calls == 1);
            drained = which == TryAgainCase.Draining ? daemon.Server.DrainAndStopAsync("SIGTERM") : null;
        }

        using var response = await http.PostAsync("/cni", CniBody("ADD", "second"));
        var body = await response.Content.ReadAsStringAsync();
        release.SetResult();
        if (first is not null)
        {
            using var firstResponse = await first;
            Assert.Equal(HttpStatusCode.OK, firstResponse.StatusCode);
        }
        await (drained ?? Task.CompletedTask);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = JsonNode.Parse(body)!;
        Assert.Equal(CniErrorCode.TryAgainLater, (int)error["code"]!);
        Assert.Contains(message, (string?)error["msg"], StringComparison.Ordinal);
        Assert.Equal("0.4.0", (string?)error["cniVersion"]);
    }

    [Fact]
    public async Task Cni_HandlerError_Answers400WithTheErrorJsonUnchanged()
    {
        var handler = new ScriptedHandler((_, _) => Task.FromResult(CniOutcome.Failure(CniVersion.V040,
            new CniException(CniErrorCode.InvalidNetworkConfig, "network \"ns1/x\" not found", "create the NAD"))));
        await using var daemon = await TestDaemon.StartAsync(handler);
        using var http = daemon.UnixHttp();

        using var response = await http.PostAsync("/cni", CniBody("ADD"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var expected = new JsonObject { ["cniVersion"] = "0.4.0", ["code"] = 7, ["msg"] = "network \"ns1/x\" not found", ["details"] = "create the NAD" };
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(await response.Content.ReadAsStringAsync())));
    }

    [Fact]
    public async Task RequestCounter_EveryAnswerOnTheSocket_CountedWithMultusLabels()
    {
        var calls = 0;
        var handler = new ScriptedHandler((_, _) => Interlocked.Increment(ref calls) == 1
            ? Task.FromResult(CniOutcome.Success(CniVersion.V040, null))
            : Task.FromResult(CniOutcome.Failure(CniVersion.V040, new CniException(CniErrorCode.IoFailure, "delegate failed", null))));
        await using var daemon = await TestDaemon.StartAsync(handler);
        using var http = daemon.UnixHttp();

        (await http.PostAsync("/cni", CniBody("DEL"))).Dispose();
        (await http.PostAsync("/cni", CniBody("ADD"))).Dispose();
        (await http.PostAsync("/delegate", CniBody("ADD"))).Dispose();
        (await http.GetAsync("/healthz")).Dispose();
        (await http.PostAsync("/healthz", new StringContent(""))).Dispose();
        (await http.GetAsync("/cni")).Dispose();
        (await http.GetAsync("/no/such/path")).Dispose();
        (await http.SendAsync(new HttpRequestMessage(new HttpMethod("BREW"), "/coffee"))).Dispose();

        var samples = PrometheusText.Parse(await daemon.ScrapeAsync()).Where(s => s.Name == "multus_server_request_total").ToList();
        var counted = samples.ToDictionary(s => (s.Labels["handler"], s.Labels["code"], s.Labels["method"]), s => s.Value);
        var expected = new Dictionary<(string, string, string), double>
        {
            [("/cni", "200", "post")] = 1,
            [("/cni", "400", "post")] = 1,
            [("/delegate", "400", "post")] = 1,
            [("/healthz", "200", "get")] = 1,
            [("/healthz", "200", "post")] = 1,
            [("/cni", "405", "get")] = 1,
            [("NotFound", "404", "get")] = 1,
            [("NotFound", "404", "unknown")] = 1,
        };
        Assert.Equal(expected.OrderBy(e => e.Key), counted.OrderBy(e => e.Key));
        Assert.All(samples, s => Assert.Equal(new[] { "code", "handler", "method" }, s.Labels.Keys.Order()));
    }

    [Fact]
    public async Task RequestCounter_MetricsPortScrapes_NotCounted()
    {
        await using var daemon = await TestDaemon.StartAsync(Succeeds());

        await daemon.ScrapeAsync();
        var text = await daemon.ScrapeAsync();

        Assert.DoesNotContain(PrometheusText.Parse(text), s => s.Name == "multus_server_request_total");
    }

    [Fact]
    public async Task SocketName_MultusSock_ServesARequestShapedAsMultusShimSendsIt()
    {
        var calls = new List<CniCall>();
        await using var daemon = await TestDaemon.StartAsync(Succeeds(calls), o => o with { SocketName = "multus.sock" });
        using var http = daemon.UnixHttp();
        // Multus's shim sends its whole environment, not only CNI_*; the config names only the directory ("socketDir").
        var env = new JsonObject(TestDaemon.Env("ADD").Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value)))
        {
            ["PATH"] = "/usr/sbin:/usr/bin",
        };
        var config = Encoding.UTF8.GetBytes($$"""{"cniVersion":"0.4.0","name":"multus-cni-network","type":"multus-shim","socketDir":"{{daemon.Options.SocketDir}}"}""");

        using var response = await http.PostAsync("http://dummy/cni",
            new StringContent(new JsonObject { ["env"] = env, ["config"] = Convert.ToBase64String(config) }.ToJsonString()));

        Assert.Equal(Path.Combine(daemon.Options.SocketDir, "multus.sock"), daemon.Options.SocketPath);
        Assert.False(File.Exists(Path.Combine(daemon.Options.SocketDir, "plexus.sock")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1.0.0", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["Result"]!["cniVersion"]);
        Assert.Equal(config, calls.Single().Body.Config);
    }

    // What the meta-plugin prints for a config of each version: ADD results with addresses of both families.
    public static TheoryData<string, string> ResultsByConfigVersion => new()
    {
        { "0.2.0", """{"cniVersion":"0.2.0","ip4":{"ip":"10.1.2.3/24","gateway":"10.1.2.1","routes":[{"dst":"0.0.0.0/0"}]},"ip6":{"ip":"fd00::3/64"},"dns":{"nameservers":["10.96.0.10"]}}""" },
        { "0.3.1", """{"cniVersion":"0.3.1","interfaces":[{"name":"eth0","mac":"0a:58:0a:01:02:03","sandbox":"/run/netns/test"}],"ips":[{"version":"4","interface":0,"address":"10.1.2.3/24","gateway":"10.1.2.1"},{"version":"6","interface":0,"address":"fd00::3/64"}],"routes":[{"dst":"0.0.0.0/0"}]}""" },
        { "0.4.0", """{"cniVersion":"0.4.0","interfaces":[{"name":"eth0","sandbox":"/run/netns/test"}],"ips":[{"version":"4","interface":0,"address":"10.1.2.3/24"}],"dns":{"search":["svc.cluster.local"]}}""" },
        { "1.0.0", """{"cniVersion":"1.0.0","interfaces":[{"name":"eth0","sandbox":"/run/netns/test"}],"ips":[{"interface":0,"address":"10.1.2.3/24","gateway":"10.1.2.1"}],"routes":[{"dst":"0.0.0.0/0","gw":"10.1.2.1"}]}""" },
    };

    private static ScriptedHandler Answers(string result) =>
        new((_, _) => Task.FromResult(CniOutcome.Success(CniVersion.Parse((string)JsonNode.Parse(result)!["cniVersion"]!), JsonNode.Parse(result)!.AsObject())));

    // Multus's shim decodes the Result as a 1.0.0 result and converts that to its config's cniVersion itself; a Result in
    // another version lost its ips[].version there (0.3.x, 0.4.0) or every address (0.2.0).
    [Theory]
    [MemberData(nameof(ResultsByConfigVersion))]
    public async Task Cni_RequestAsMultusShimSendsIt_ResultIn100FromWhichItsShimGetsTheWholeResultBack(string version, string printed)
    {
        await using var daemon = await TestDaemon.StartAsync(Answers(printed), o => o with { SocketName = "multus.sock" });
        var config = Encoding.UTF8.GetBytes(
            $$"""{"cniVersion":"{{version}}","name":"multus-cni-network","type":"multus-shim","socketDir":"{{daemon.Options.SocketDir}}"}""");

        var answer = MultusShimPost(daemon.Options.SocketPath, "/cni", MultusShimEnvironment("ADD"), config);

        Assert.Equal(200, answer.StatusCode);
        var result = JsonNode.Parse(answer.Body)!["Result"]!.AsObject();
        Assert.Equal("1.0.0", (string?)result["cniVersion"]);
        Assert.All(result["ips"]!.AsArray(), ip => Assert.False(ip!.AsObject().ContainsKey("version")));
        var runtimeVersion = CniVersion.Parse(version);
        var asItsShimPrintsIt = CniResult.Parse(result, CniVersion.V100).ConvertTo(runtimeVersion).ToJson();
        var asThinModePrintsIt = CniResult.Parse(JsonNode.Parse(printed), runtimeVersion).ToJson();
        Assert.True(JsonNode.DeepEquals(asThinModePrintsIt, asItsShimPrintsIt), $"expected {asThinModePrintsIt.ToJsonString()}\nactual   {asItsShimPrintsIt.ToJsonString()}");
    }

    [Theory]
    [MemberData(nameof(ResultsByConfigVersion))]
    public async Task Cni_PlexusShim_PrintsTheResultInTheConfigsVersionAsTheMetaPluginPrintedIt(string version, string printed)
    {
        await using var daemon = await TestDaemon.StartAsync(Answers(printed));

        var output = await Protocol.Shim.ShimRunner.RunAsync(TestDaemon.Env("ADD"), TestDaemon.Config(daemon.Options.SocketDir, version),
            CancellationToken.None);

        Assert.Equal((0, printed), (output.ExitCode, Encoding.UTF8.GetString(output.Stdout)));
    }

    // The hot-plug answers 1.0.0 itself; a handler answering 0.4.0 shows /delegate's Result is converted like /cni's.
    [Fact]
    public async Task Delegate_RequestAsAHotPlugControllerSendsIt_ResultIn100()
    {
        await using var daemon = await TestDaemon.StartAsync(Succeeds());

        var answer = MultusShimPost(daemon.Options.SocketPath, "/delegate", MultusShimEnvironment("ADD"),
            """{"cniVersion":"1.0.0","name":"macvlan-net","type":"macvlan"}"""u8.ToArray());

        Assert.Equal(200, answer.StatusCode);
        Assert.Equal("1.0.0", (string?)JsonNode.Parse(answer.Body)!["Result"]!["cniVersion"]);
    }

    [Theory]
    [InlineData("\"1.0.0\"")]
    [InlineData("\"\"")]
    [InlineData("\"Config\"")]
    [InlineData("5")]
    [InlineData("[\"config\"]")]
    public async Task Cni_UnknownResultVersion_Answers400Code6NamingTheFieldWithoutRunning(string value)
    {
        var calls = new List<CniCall>();
        await using var daemon = await TestDaemon.StartAsync(Succeeds(calls));
        using var http = daemon.UnixHttp();
        var body = new JsonObject
        {
            ["env"] = new JsonObject(TestDaemon.Env("ADD").Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value))),
            ["config"] = Convert.ToBase64String(TestDaemon.Config("/unused")),
            ["resultVersion"] = JsonNode.Parse(value),
        };

        using var response = await http.PostAsync("/cni", new StringContent(body.ToJsonString()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(CniErrorCode.DecodeFailure, (int)error["code"]!);
        Assert.Contains("resultVersion", (string?)error["msg"], StringComparison.Ordinal);
        Assert.Empty(calls);
    }

    /// <summary>Multus's shim sends its whole environment, not only the CNI variables.</summary>
    private static Dictionary<string, string> MultusShimEnvironment(string command) =>
        new(TestDaemon.Env(command)) { ["PATH"] = "/usr/sbin:/usr/bin", ["HOME"] = "/root" };

    /// <summary>
    /// A request byte for byte as Multus's shim makes it: Go's json.Marshal of its request (map keys sorted, no
    /// <c>resultVersion</c>) sent by Go's http.Client.Post, which keeps the connection open.
    /// </summary>
    private static Http11Response MultusShimPost(string socketPath, string path, Dictionary<string, string> env, byte[] config)
    {
        var body = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["env"] = new JsonObject(env.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value))),
            ["config"] = Convert.ToBase64String(config),
        }.ToJsonString());
        var head = Encoding.ASCII.GetBytes($"POST {path} HTTP/1.1\r\nHost: dummy\r\nUser-Agent: Go-http-client/1.1\r\n" +
            $"Content-Length: {body.Length}\r\nContent-Type: application/json\r\nAccept-Encoding: gzip\r\n\r\n");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(socketPath));
        using var stream = new NetworkStream(socket) { ReadTimeout = 30_000 };
        stream.Write([.. head, .. body]);
        return new Http11ResponseReader(stream, 1 << 20).Read("POST");
    }

    // The version the daemon's own errors (queue full, draining) are written in: the last of a repeated cniVersion, as
    // the runtime read it and as the dispatcher answers, though the config itself is refused.
    [Fact]
    public async Task Cni_ConfigWithRepeatedCniVersion_CallsOwnErrorsAreInTheLast()
    {
        var calls = new List<CniCall>();
        await using var daemon = await TestDaemon.StartAsync(Succeeds(calls));
        using var http = daemon.UnixHttp();
        var config = """{"cniVersion":"1.1.0","name":"n","type":"multus-shim","cniVersion":"0.4.0"}"""u8.ToArray();

        using var response = await http.PostAsync("http://dummy/cni", CniBody("ADD", config: config));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(CniVersion.V040, calls.Single().ErrorVersion);
    }

    [Fact]
    public async Task SocketName_PlexusShimWithDaemonSocketName_ReachesTheRenamedSocket()
    {
        await using var daemon = await TestDaemon.StartAsync(Succeeds(), o => o with { SocketName = "multus.sock" });
        var config = Encoding.UTF8.GetBytes(
            $$"""{"cniVersion":"0.4.0","name":"plexus","type":"plexus-shim","socketDir":"{{daemon.Options.SocketDir}}","daemonSocketName":"multus.sock"}""");
        var withoutName = TestDaemon.Config(daemon.Options.SocketDir);

        var reached = await Protocol.Shim.ShimRunner.RunAsync(TestDaemon.Env("CHECK"), config, CancellationToken.None);
        var missed = await Protocol.Shim.ShimRunner.RunAsync(TestDaemon.Env("CHECK"), withoutName, CancellationToken.None);

        Assert.Equal(0, reached.ExitCode);
        Assert.Equal(CniErrorCode.TryAgainLater, (int)TestDaemon.Json(missed)["code"]!);
        Assert.Contains("plexus.sock", (string?)TestDaemon.Json(missed)["msg"], StringComparison.Ordinal);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(20, limit.Token);
        }
    }
}
