using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Plexus.Cni;
using Plexus.Daemon.Cni;
using Plexus.Daemon.Tests.Testing;
using Plexus.Testing;

namespace Plexus.Daemon.Tests.Server.Http;

/// <summary>plexusd's HTTP/1.1 framing on the unix socket, spoken byte by byte.</summary>
public sealed class Http1ConnectionTests
{
    private static ScriptedHandler Succeeds() => new((_, _) => Task.FromResult(CniOutcome.Success(CniVersion.V040, new() { ["cniVersion"] = "0.4.0" })));

    private static async Task<Socket> ConnectAsync(TestDaemon daemon)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(daemon.Options.SocketPath));
        return socket;
    }

    /// <summary>Everything the daemon sends until it closes the connection (bounded by a timeout).</summary>
    private static async Task<string> ReadToCloseAsync(Socket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var received = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
        {
            received.Write(buffer, 0, read);
        }
        return Encoding.ASCII.GetString(received.ToArray());
    }

    private static string CniBody() => new JsonObject
    {
        ["env"] = new JsonObject(TestDaemon.Env("CHECK").Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value))),
        ["config"] = Convert.ToBase64String(TestDaemon.Config("/unused")),
    }.ToJsonString();

    [Fact]
    public async Task KeepAlive_TwoPipelinedRequests_BothAnsweredInOrderThenClosed()
    {
        await using var daemon = await TestDaemon.StartAsync(Succeeds());
        using var socket = await ConnectAsync(daemon);

        await socket.SendAsync(Encoding.ASCII.GetBytes(
            "GET /healthz HTTP/1.1\r\nHost: plexusd\r\n\r\nGET /nowhere HTTP/1.1\r\nHost: plexusd\r\nConnection: close\r\n\r\n"));
        var text = await ReadToCloseAsync(socket);

        Assert.StartsWith("HTTP/1.1 200 OK\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\r\n\r\nok\nHTTP/1.1 404 Not Found\r\n", text, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\nnot found\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Head_Healthz_HeadWithTheGetsLengthAndNoBodyThenTheConnectionGoesOn()
    {
        await using var daemon = await TestDaemon.StartAsync(Succeeds());
        using var socket = await ConnectAsync(daemon);

        await socket.SendAsync(Encoding.ASCII.GetBytes(
            "HEAD /healthz HTTP/1.1\r\nHost: plexusd\r\n\r\nGET /healthz HTTP/1.1\r\nHost: plexusd\r\nConnection: close\r\n\r\n"));
        var text = await ReadToCloseAsync(socket);

        Assert.Equal(
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\n" +
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n", text);
    }

    [Fact]
    public async Task ChunkedBodyWithExpectContinue_Gets100ThenTheCniAnswer_TheConnectionGoesOnAfterTheTrailer()
    {
        var handler = Succeeds();
        await using var daemon = await TestDaemon.StartAsync(handler);
        using var socket = await ConnectAsync(daemon);
        var body = Encoding.ASCII.GetBytes(CniBody());

        await socket.SendAsync(Encoding.ASCII.GetBytes("POST /cni HTTP/1.1\r\nHost: plexusd\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n"));
        var interim = new byte[64];
        var got = await socket.ReceiveAsync(interim, SocketFlags.None);
        Assert.Equal("HTTP/1.1 100 Continue\r\n\r\n", Encoding.ASCII.GetString(interim, 0, got));
        await socket.SendAsync(Encoding.ASCII.GetBytes($"10\r\n{Encoding.ASCII.GetString(body, 0, 16)}\r\n{body.Length - 16:x}\r\n"));
        await socket.SendAsync(body.AsMemory(16));
        await socket.SendAsync("\r\n0\r\nX-Trailer: 1\r\n\r\nGET /healthz HTTP/1.1\r\nHost: plexusd\r\nConnection: close\r\n\r\n"u8.ToArray());
        var text = await ReadToCloseAsync(socket);

        Assert.StartsWith("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n", text, StringComparison.Ordinal);
        Assert.EndsWith("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n", text, StringComparison.Ordinal);
        Assert.Equal(1, handler.Calls);
    }

    [Theory]
    [InlineData("NOT HTTP\r\n\r\n", "HTTP/1.1 400 Bad Request\r\n")]
    [InlineData("GET /healthz HTTP/3.0\r\n\r\n", "HTTP/1.1 505 HTTP Version Not Supported\r\n")]
    [InlineData("POST /cni HTTP/1.1\r\nContent-Length: 4194305\r\n\r\n", "HTTP/1.1 413 Content Too Large\r\n")]
    public async Task BadRequest_AnsweredWithStatusAndClosed_DaemonKeepsServing(string request, string statusLine)
    {
        var handler = new ScriptedHandler((_, _) => throw new InvalidOperationException("must not run"));
        await using var daemon = await TestDaemon.StartAsync(handler);
        using var socket = await ConnectAsync(daemon);

        await socket.SendAsync(Encoding.ASCII.GetBytes(request));
        var text = await ReadToCloseAsync(socket);

        Assert.StartsWith(statusLine, text, StringComparison.Ordinal);
        Assert.Contains("Connection: close\r\n", text, StringComparison.Ordinal);
        Assert.Equal(0, handler.Calls);
        using var health = await daemon.UnixHttp().GetAsync("/healthz");
        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("GET /healthz HTTP/1.1\r\nHost: plex")]
    [InlineData("POST /cni HTTP/1.1\r\nContent-Length: 100\r\n\r\n{\"env\":")]
    public async Task RequestNotCompleteWithinIdleTimeout_ConnectionClosed(string sent)
    {
        var handler = new ScriptedHandler((_, _) => throw new InvalidOperationException("must not run"));
        await using var daemon = await TestDaemon.StartAsync(handler, o => o with { IdleTimeout = TimeSpan.FromMilliseconds(300) });
        using var socket = await ConnectAsync(daemon);

        await socket.SendAsync(Encoding.ASCII.GetBytes(sent));

        Assert.Equal("", await ReadToCloseAsync(socket));
        Assert.Equal(0, handler.Calls);
    }

    [Fact]
    public async Task IdleTimeout_CountsFromTheLastAnswer_KeepAliveRequestsWithinItServedThenClosed()
    {
        var time = new ManualTimeProvider();
        var idle = TimeSpan.FromSeconds(7);
        await using var daemon = await TestDaemon.StartAsync(Succeeds(), o => o with { IdleTimeout = idle }, time: time);
        using var socket = await ConnectAsync(daemon);
        var buffer = new byte[1024];

        for (var i = 0; i < 3; i++)
        {
            await time.WaitForTimerAsync(idle, count: i + 1);
            // From the second request on, more than the idle timeout has passed since the connection opened, but less since the last answer.
            time.Advance(TimeSpan.FromSeconds(5));
            await socket.SendAsync("GET /healthz HTTP/1.1\r\nHost: plexusd\r\n\r\n"u8.ToArray());
            var got = await socket.ReceiveAsync(buffer, SocketFlags.None);
            Assert.StartsWith("HTTP/1.1 200 OK\r\n", Encoding.ASCII.GetString(buffer, 0, got), StringComparison.Ordinal);
        }
        await time.WaitForTimerAsync(idle, count: 4);
        time.Advance(idle);

        Assert.Equal("", await ReadToCloseAsync(socket));
    }

    [Fact]
    public async Task HeadOver16KiB_Answered431()
    {
        await using var daemon = await TestDaemon.StartAsync(Succeeds());
        using var socket = await ConnectAsync(daemon);

        await socket.SendAsync(Encoding.ASCII.GetBytes("GET /healthz HTTP/1.1\r\nX-Padding: " + new string('a', 17 << 10) + "\r\n\r\n"));
        var text = await ReadToCloseAsync(socket);

        Assert.StartsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientHangsUpWhileQueued_RequestLeavesTheQueueWithoutRunning()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new ScriptedHandler(async (_, ct) =>
        {
            await release.Task.WaitAsync(ct);
            return CniOutcome.Success(CniVersion.V040, null);
        });
        await using var daemon = await TestDaemon.StartAsync(handler, o => o with { MaxInFlight = 1, MaxQueued = 4, QueueTimeout = TimeSpan.FromSeconds(60) });
        var running = daemon.ShimAsync("CHECK", "c-running");
        await WaitForAsync(daemon, "plexus_daemon_requests_in_flight", 1);
        var body = Encoding.ASCII.GetBytes(CniBody());

        using (var queued = await ConnectAsync(daemon))
        {
            await queued.SendAsync(Encoding.ASCII.GetBytes($"POST /cni HTTP/1.1\r\nHost: plexusd\r\nContent-Length: {body.Length}\r\n\r\n"));
            await queued.SendAsync(body);
            await WaitForAsync(daemon, "plexus_daemon_requests_queued", 1);
        }
        await WaitForAsync(daemon, "plexus_daemon_requests_queued", 0);
        release.SetResult();

        Assert.Equal(0, (await running).ExitCode);
        Assert.Equal(1, handler.Calls);
    }

    private static async Task WaitForAsync(TestDaemon daemon, string gauge, double value)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (PrometheusText.Parse(await daemon.ScrapeAsync()).Value(gauge) != value)
        {
            await Task.Delay(20, limit.Token);
        }
    }
}
