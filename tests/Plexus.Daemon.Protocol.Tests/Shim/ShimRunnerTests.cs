using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Plexus.Cni;
using Plexus.Daemon.Protocol.Shim;

namespace Plexus.Daemon.Protocol.Tests.Shim;

public sealed class ShimRunnerTests
{
    private static readonly Dictionary<string, string> AddEnv = new()
    {
        ["CNI_COMMAND"] = "ADD",
        ["CNI_CONTAINERID"] = "c1",
        ["CNI_NETNS"] = "/run/netns/x",
        ["CNI_IFNAME"] = "eth0",
        ["CNI_PATH"] = "/usr/lib/cni",
        ["KUBE_TOKEN"] = "secret",
    };

    /// <summary>
    /// The shim's own timers end these cases; this only stops a shim that hangs from hanging the test run, with an
    /// error saying so rather than a claim about how long it took.
    /// </summary>
    private static async Task<ShimOutput> RunGuardedAsync(IReadOnlyDictionary<string, string> env, byte[] config)
    {
        try
        {
            return await ShimRunner.RunAsync(env, config, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException("the shim hung: it did not give up on the daemon by its own timeouts");
        }
    }

    [Theory]
    [InlineData("1.0.0", "1.0.0")]
    [InlineData("0.3.1", "0.3.1")]
    [InlineData("9.0.0", "1.1.0")]
    [InlineData("1.01.0", "1.1.0")]
    public async Task RunAsync_Version_AnswersLocallyWithoutDaemonEchoingSupportedVersion(string requested, string answered)
    {
        var output = await ShimRunner.RunAsync(new Dictionary<string, string> { ["CNI_COMMAND"] = "VERSION" },
            Encoding.UTF8.GetBytes($$"""{"cniVersion":"{{requested}}","daemonSocketDir":"/nonexistent"}"""), CancellationToken.None);

        var info = JsonNode.Parse(output.Stdout)!.AsObject();
        Assert.Equal(0, output.ExitCode);
        Assert.Equal(answered, (string?)info["cniVersion"]);
        Assert.Equal(CniVersion.Supported.Select(v => v.ToString()), info["supportedVersions"]!.AsArray().Select(v => (string?)v));
    }

    [Fact]
    public async Task RunAsync_NoSocket_AnswersCode11NamingTheSocket()
    {
        var dir = Path.Combine(Path.GetTempPath(), "plexus-absent-" + Guid.NewGuid().ToString("N"));

        var output = await ShimRunner.RunAsync(AddEnv, Config(dir), CancellationToken.None);

        var error = JsonNode.Parse(output.Stdout)!.AsObject();
        Assert.Equal(ShimOutput.ErrorExit, output.ExitCode);
        Assert.Equal(CniErrorCode.TryAgainLater, (int)error["code"]!);
        Assert.Equal("0.4.0", (string?)error["cniVersion"]);
        Assert.Contains(Path.Combine(dir, "plexus.sock"), (string?)error["msg"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_StaleSocketFile_AnswersCode11()
    {
        var dir = Directory.CreateTempSubdirectory("plexus-stale-").FullName;
        try
        {
            // A socket file nobody listens on: what a crashed daemon leaves behind.
            using (var stale = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
            {
                stale.Bind(new UnixDomainSocketEndPoint(Path.Combine(dir, DaemonEndpoints.SocketFileName)));
            }

            var output = await RunGuardedAsync(AddEnv, Config(dir));

            var error = JsonNode.Parse(output.Stdout)!.AsObject();
            Assert.Equal(ShimOutput.ErrorExit, output.ExitCode);
            Assert.Equal(CniErrorCode.TryAgainLater, (int)error["code"]!);
            Assert.Contains("not running", (string?)error["msg"], StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task RunAsync_DaemonNeverAnswers_AnswersCode11AfterOverallTimeout()
    {
        using var fake = new FakeDaemon(answer: null);

        var output = await RunGuardedAsync(AddEnv, Config(fake.SocketDir, overall: 0.5));

        var error = JsonNode.Parse(output.Stdout)!.AsObject();
        Assert.Equal(ShimOutput.ErrorExit, output.ExitCode);
        Assert.Equal(CniErrorCode.TryAgainLater, (int)error["code"]!);
        Assert.Contains("no answer within 0.5 s", (string?)error["msg"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_BacklogFull_AnswersCode11AfterConnectTimeout()
    {
        var dir = Directory.CreateTempSubdirectory("plexus-wedged-").FullName;
        try
        {
            // A daemon that stopped accepting: backlog 0 and one connection already waiting fill its queue.
            using var wedged = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            wedged.Bind(new UnixDomainSocketEndPoint(Path.Combine(dir, DaemonEndpoints.SocketFileName)));
            wedged.Listen(0);
            using var waiting = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            waiting.Connect(new UnixDomainSocketEndPoint(Path.Combine(dir, DaemonEndpoints.SocketFileName)));
            var config = Encoding.UTF8.GetBytes($$"""
                {"cniVersion":"0.4.0","name":"plexus","daemonSocketDir":"{{dir}}","daemonConnectTimeoutSeconds":0.3,"daemonTimeoutSeconds":30}
                """);

            var output = await RunGuardedAsync(AddEnv, config);

            var error = JsonNode.Parse(output.Stdout)!.AsObject();
            Assert.Equal(ShimOutput.ErrorExit, output.ExitCode);
            Assert.Equal(CniErrorCode.TryAgainLater, (int)error["code"]!);
            Assert.Contains("connect timed out after 0.3 s", (string?)error["msg"], StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task RunAsync_SocketPathTooLongForUnixSockets_AnswersCode11SayingSo()
    {
        var dir = "/tmp/" + new string('d', 120);

        var output = await ShimRunner.RunAsync(AddEnv, Config(dir), CancellationToken.None);

        var error = JsonNode.Parse(output.Stdout)!.AsObject();
        Assert.Equal(ShimOutput.ErrorExit, output.ExitCode);
        Assert.Equal(CniErrorCode.TryAgainLater, (int)error["code"]!);
        Assert.Contains("longer than the 107 a unix socket allows", (string?)error["msg"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_CancelledBeforeTheAnswer_Throws()
    {
        using var fake = new FakeDaemon(answer: null);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            ShimRunner.RunAsync(AddEnv, Config(fake.SocketDir, overall: 30), cancel.Token));
    }

    [Fact]
    public async Task RunAsync_GarbageAnswer_AnswersCode11()
    {
        using var fake = new FakeDaemon(answer: "SSH-2.0-OpenSSH_9.2\r\n\r\n");

        var output = await ShimRunner.RunAsync(AddEnv, Config(fake.SocketDir), CancellationToken.None);

        Assert.Equal(CniErrorCode.TryAgainLater, (int)JsonNode.Parse(output.Stdout)!["code"]!);
        Assert.Contains("unreadable answer", (string?)JsonNode.Parse(output.Stdout)!["msg"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Add_SendsOneMultusStyleRequestWithOnlyCniVariables()
    {
        const string result = """{"cniVersion":"0.4.0","ips":[]}""";
        var answer = "HTTP/1.1 200 OK\r\nContent-Length: " + (result.Length + 11) + "\r\n\r\n{\"Result\":" + result + "}";
        using var fake = new FakeDaemon(answer);
        var stdin = Config(fake.SocketDir);

        var output = await ShimRunner.RunAsync(AddEnv, stdin, CancellationToken.None);

        var request = await fake.Received.Task;
        var split = request.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var body = JsonNode.Parse(request[(split + 4)..])!.AsObject();
        Assert.StartsWith("POST /cni HTTP/1.1\r\n", request, StringComparison.Ordinal);
        Assert.Equal(["CNI_COMMAND", "CNI_CONTAINERID", "CNI_IFNAME", "CNI_NETNS", "CNI_PATH"],
            body["env"]!.AsObject().Select(kv => kv.Key).Order(StringComparer.Ordinal));
        Assert.Equal(stdin, Convert.FromBase64String((string)body["config"]!));
        Assert.Equal("config", (string?)body["resultVersion"]);
        Assert.Equal((0, result), (output.ExitCode, Encoding.UTF8.GetString(output.Stdout)));
    }

    [Fact]
    public async Task RunAsync_AddAnsweredWithoutResult_Code11NotSuccess()
    {
        using var fake = new FakeDaemon("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n{\"foo\":1}");

        var output = await ShimRunner.RunAsync(AddEnv, Config(fake.SocketDir), CancellationToken.None);

        var error = JsonNode.Parse(output.Stdout)!.AsObject();
        Assert.Equal((ShimOutput.ErrorExit, CniErrorCode.TryAgainLater), (output.ExitCode, (int)error["code"]!));
        Assert.Contains(fake.SocketPath, (string?)error["msg"], StringComparison.Ordinal);
    }

    // Above ~922 s the shim's deadline overflowed into the past and every call failed at once with "no answer".
    [Fact]
    public async Task RunAsync_TimeoutAbove922Seconds_WaitsForTheAnswer()
    {
        const string result = """{"cniVersion":"0.4.0"}""";
        using var fake = new FakeDaemon("HTTP/1.1 200 OK\r\nContent-Length: " + (result.Length + 11) + "\r\n\r\n{\"Result\":" + result + "}");

        var output = await ShimRunner.RunAsync(AddEnv, Config(fake.SocketDir, overall: 86_400), CancellationToken.None);

        Assert.Equal((0, result), (output.ExitCode, Encoding.UTF8.GetString(output.Stdout)));
    }

    [Fact]
    public async Task RunAsync_ChunkedErrorAnswer_PrintsTheErrorJson()
    {
        const string error = """{"cniVersion":"0.4.0","code":3,"msg":"container unknown"}""";
        var answer = "HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n" + error.Length.ToString("x") + "\r\n" + error + "\r\n0\r\n\r\n";
        using var fake = new FakeDaemon(answer);

        var output = await ShimRunner.RunAsync(AddEnv, Config(fake.SocketDir), CancellationToken.None);

        Assert.Equal((ShimOutput.ErrorExit, error), (output.ExitCode, Encoding.UTF8.GetString(output.Stdout)));
    }

    private static Dictionary<string, string> EnvFor(string command) => new(AddEnv) { ["CNI_COMMAND"] = command };

    // CNI 1.1 gives STATUS its own failure code, 50 "the plugin is not available"; the other verbs keep 11.
    [Theory]
    [InlineData("STATUS", CniErrorCode.PluginNotAvailable)]
    [InlineData("ADD", CniErrorCode.TryAgainLater)]
    [InlineData("DEL", CniErrorCode.TryAgainLater)]
    [InlineData("CHECK", CniErrorCode.TryAgainLater)]
    [InlineData("GC", CniErrorCode.TryAgainLater)]
    public async Task RunAsync_NoDaemon_Status50OtherVerbs11NamingTheSocket(string command, int code)
    {
        var dir = Path.Combine(Path.GetTempPath(), "plexus-absent-" + Guid.NewGuid().ToString("N"));

        var output = await ShimRunner.RunAsync(EnvFor(command), Config(dir), CancellationToken.None);

        var error = JsonNode.Parse(output.Stdout)!.AsObject();
        Assert.Equal((ShimOutput.ErrorExit, code), (output.ExitCode, (int)error["code"]!));
        Assert.Contains(Path.Combine(dir, "plexus.sock"), (string?)error["msg"], StringComparison.Ordinal);
        Assert.StartsWith("start plexusd", (string?)error["details"], StringComparison.Ordinal);
    }

    public enum DaemonTrouble
    {
        NeverAnswers,
        GarbageAnswer,
    }

    [Theory]
    [InlineData(DaemonTrouble.NeverAnswers, "no answer within")]
    [InlineData(DaemonTrouble.GarbageAnswer, "unreadable answer")]
    public async Task RunAsync_StatusWithoutAUsableAnswer_Code50(DaemonTrouble trouble, string message)
    {
        using var fake = new FakeDaemon(trouble == DaemonTrouble.NeverAnswers ? null : "SSH-2.0-OpenSSH_9.2\r\n\r\n");

        var output = await RunGuardedAsync(EnvFor("STATUS"), Config(fake.SocketDir, overall: 0.5));

        var error = JsonNode.Parse(output.Stdout)!.AsObject();
        Assert.Equal((ShimOutput.ErrorExit, CniErrorCode.PluginNotAvailable), (output.ExitCode, (int)error["code"]!));
        Assert.Contains(message, (string?)error["msg"], StringComparison.Ordinal);
    }

    // The daemon's own STATUS error (busy, or its meta-plugin's answer) is printed as it is, code and all.
    [Fact]
    public async Task RunAsync_StatusAnsweredWithTheDaemonsCode11_PrintedUnchanged()
    {
        const string busy = """{"cniVersion":"0.4.0","code":11,"msg":"plexusd is busy"}""";
        using var fake = new FakeDaemon($"HTTP/1.1 400 Bad Request\r\nContent-Length: {busy.Length}\r\n\r\n{busy}");

        var output = await ShimRunner.RunAsync(EnvFor("STATUS"), Config(fake.SocketDir), CancellationToken.None);

        Assert.Equal((ShimOutput.ErrorExit, busy), (output.ExitCode, Encoding.UTF8.GetString(output.Stdout)));
    }

    [Fact]
    public async Task RunAsync_StatusWithConfigTooLargeForTheDaemon_StillCode7()
    {
        var stdin = Encoding.UTF8.GetBytes(
            $$"""{"cniVersion":"0.4.0","name":"plexus","type":"plexus-shim","daemonSocketDir":"/nonexistent","pad":"{{new string('x', 3_300_000)}}"}""");

        var output = await ShimRunner.RunAsync(EnvFor("STATUS"), stdin, CancellationToken.None);

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, (int)JsonNode.Parse(output.Stdout)!["code"]!);
    }

    // 3.3 MB of config is 4.4 MB as base64: the daemon would refuse it at the head and the shim's send would break.
    [Fact]
    public async Task RunAsync_ConfigTooLargeForTheDaemon_Code7NamingTheLimitWithoutSending()
    {
        using var fake = new FakeDaemon("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");
        var stdin = Encoding.UTF8.GetBytes(
            $$"""{"cniVersion":"0.4.0","name":"plexus","type":"plexus-shim","daemonSocketDir":"{{fake.SocketDir}}","pad":"{{new string('x', 3_300_000)}}"}""");

        var output = await ShimRunner.RunAsync(AddEnv, stdin, CancellationToken.None);

        var error = JsonNode.Parse(output.Stdout)!.AsObject();
        Assert.Equal((ShimOutput.ErrorExit, CniErrorCode.InvalidNetworkConfig), (output.ExitCode, (int)error["code"]!));
        Assert.Contains($"above plexusd's limit of {DaemonEndpoints.MaxRequestBodyBytes} bytes", (string?)error["msg"], StringComparison.Ordinal);
        Assert.Equal("0.4.0", (string?)error["cniVersion"]);
        Assert.False(fake.Received.Task.IsCompleted);
    }

    [Fact]
    public async Task RunAsync_DaemonRefusesAtTheHeadWithErrorJson_PrintsIt()
    {
        const string error = """{"cniVersion":"0.4.0","code":7,"msg":"plexusd: request body larger than 4 MiB"}""";
        using var fake = new FakeDaemon($"HTTP/1.1 413 Content Too Large\r\nContent-Length: {error.Length}\r\nConnection: close\r\n\r\n{error}", headOnly: true);
        var stdin = Encoding.UTF8.GetBytes(
            $$"""{"cniVersion":"0.4.0","name":"plexus","type":"plexus-shim","daemonSocketDir":"{{fake.SocketDir}}","pad":"{{new string('x', 2_000_000)}}"}""");

        var output = await RunGuardedAsync(AddEnv, stdin);

        Assert.Equal((ShimOutput.ErrorExit, error), (output.ExitCode, Encoding.UTF8.GetString(output.Stdout)));
    }

    // A plain-text 413 (no CNI error JSON) is still permanent: code 7 with the daemon's words, not code 11.
    [Fact]
    public async Task RunAsync_DaemonRefusesAtTheHeadWithText413_Code7QuotingIt()
    {
        const string text = "request body larger than 4 MiB\n";
        using var fake = new FakeDaemon($"HTTP/1.1 413 Content Too Large\r\nContent-Type: text/plain\r\nContent-Length: {text.Length}\r\nConnection: close\r\n\r\n{text}", headOnly: true);
        var stdin = Encoding.UTF8.GetBytes(
            $$"""{"cniVersion":"0.4.0","name":"plexus","type":"plexus-shim","daemonSocketDir":"{{fake.SocketDir}}","pad":"{{new string('x', 2_000_000)}}"}""");

        var output = await RunGuardedAsync(AddEnv, stdin);

        var error = JsonNode.Parse(output.Stdout)!.AsObject();
        Assert.Equal((ShimOutput.ErrorExit, CniErrorCode.InvalidNetworkConfig), (output.ExitCode, (int)error["code"]!));
        Assert.EndsWith("plexusd refused the request as too large (HTTP 413): request body larger than 4 MiB", (string?)error["msg"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"daemonTimeoutSeconds\":-5", CniErrorCode.InvalidNetworkConfig)]
    [InlineData("\"daemonSocketName\":\"../plexus.sock\"", CniErrorCode.InvalidNetworkConfig)]
    [InlineData("\"daemonSocketDir\":5", CniErrorCode.DecodeFailure)]
    public async Task RunAsync_UnusableDaemonKey_AnswersItselfInsteadOfDiallingAnyDaemon(string badKey, int code)
    {
        const string result = """{"cniVersion":"0.4.0","ips":[]}""";
        using var fake = new FakeDaemon("HTTP/1.1 200 OK\r\nContent-Length: " + (result.Length + 11) + "\r\n\r\n{\"Result\":" + result + "}");
        var stdin = Encoding.UTF8.GetBytes(
            $$"""{"cniVersion":"0.4.0","name":"plexus","type":"plexus-shim","socketDir":"{{fake.SocketDir}}",{{badKey}}}""");

        var output = await ShimRunner.RunAsync(AddEnv, stdin, CancellationToken.None);

        var error = JsonNode.Parse(output.Stdout)!.AsObject();
        Assert.Equal(ShimOutput.ErrorExit, output.ExitCode);
        Assert.Equal(code, (int)error["code"]!);
        Assert.Equal("0.4.0", (string?)error["cniVersion"]);
        Assert.False(fake.Received.Task.IsCompleted);
    }

    [Fact]
    public async Task RunAsync_StdinNotJson_AnswersTheThinPluginsDecodeError()
    {
        var output = await ShimRunner.RunAsync(AddEnv, "{not json"u8.ToArray(), CancellationToken.None);

        var error = JsonNode.Parse(output.Stdout)!.AsObject();
        Assert.Equal(ShimOutput.ErrorExit, output.ExitCode);
        Assert.Equal(CniErrorCode.DecodeFailure, (int)error["code"]!);
        Assert.StartsWith("network config is not valid JSON", (string?)error["msg"], StringComparison.Ordinal);
    }

    // The thin plugin's rule for a repeated top-level cniVersion (the runtime's: the last counts). The first is the latest,
    // so reading the first, or falling back to the latest, would answer 1.1.0.
    private static readonly byte[] RepeatedCniVersion =
        """{"cniVersion":"1.1.0","name":"plexus","type":"plexus-shim","daemonSocketDir":"/nonexistent","cniVersion":"0.4.0"}"""u8.ToArray();

    [Fact]
    public async Task RunAsync_VersionWithRepeatedCniVersion_EchoesTheLast()
    {
        var output = await ShimRunner.RunAsync(new Dictionary<string, string> { ["CNI_COMMAND"] = "VERSION" }, RepeatedCniVersion, CancellationToken.None);

        Assert.Equal("0.4.0", (string?)JsonNode.Parse(output.Stdout)!["cniVersion"]);
    }

    [Fact]
    public async Task RunAsync_AddWithRepeatedCniVersion_DecodeErrorInTheLastWithoutDiallingTheDaemon()
    {
        var output = await ShimRunner.RunAsync(AddEnv, RepeatedCniVersion, CancellationToken.None);

        var error = JsonNode.Parse(output.Stdout)!.AsObject();
        Assert.Equal(ShimOutput.ErrorExit, output.ExitCode);
        Assert.Equal(CniErrorCode.DecodeFailure, (int)error["code"]!);
        Assert.Contains("cniVersion", (string?)error["details"], StringComparison.Ordinal);
        Assert.Equal("0.4.0", (string?)error["cniVersion"]);
    }

    private static byte[] Config(string socketDir, double overall = 10) => Encoding.UTF8.GetBytes(
        $$"""{"cniVersion":"0.4.0","name":"plexus","type":"plexus-shim","daemonSocketDir":"{{socketDir}}","daemonTimeoutSeconds":{{overall}}}""");
}
