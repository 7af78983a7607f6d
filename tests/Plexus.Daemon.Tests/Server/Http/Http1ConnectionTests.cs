using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Plexus.Cni;
using Plexus.Daemon.Cni;
using Plexus.Daemon.Metrics;
using Plexus.Daemon.Server.Http;
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
        // Virtual time, advanced once the daemon has read what was sent: a real 300 ms ran out before the send on a loaded
        // machine, and a unix socket closed with unread bytes resets the connection instead of closing it.
        var time = new ManualTimeProvider();
        var idle = TimeSpan.FromSeconds(7);
        await using var daemon = await TestDaemon.StartAsync(handler, o => o with { IdleTimeout = idle }, time: time);
        using var socket = await ConnectAsync(daemon);

        await socket.SendAsync(Encoding.ASCII.GetBytes(sent));
        await ReadByPeerAsync(socket);
        await time.WaitForTimerAsync(idle);
        time.Advance(idle);

        Assert.Equal("", await ReadToCloseAsync(socket));
        Assert.Equal(0, handler.Calls);
    }

    /// <summary>Until the daemon has read every byte sent on this unix socket (SIOCOUTQ counts those still queued at the peer).</summary>
    private static async Task ReadByPeerAsync(Socket socket)
    {
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (ioctl((int)socket.Handle, SIOCOUTQ, out var queued) != 0 || queued > 0)
        {
            await Task.Delay(10, giveUp.Token);
        }
    }

    private const ulong SIOCOUTQ = 0x5411;

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern int ioctl(int fd, ulong request, out int value);

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

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CniBodyOfExactlyFourMiB_ServedWithContentLengthOrIn1KiBChunks_ItsBytesGivenBackAfterTheAnswer(bool chunked)
    {
        var handler = Succeeds();
        await using var daemon = await TestDaemon.StartAsync(handler);
        using var socket = await ConnectAsync(daemon);
        // JSON allows whitespace after the value: a valid CNI body of exactly the maximum size.
        var body = Encoding.ASCII.GetBytes(CniBody().PadRight(RequestBody.MaxBytes));

        var framing = chunked ? "Transfer-Encoding: chunked" : $"Content-Length: {body.Length}";
        await socket.SendAsync(Encoding.ASCII.GetBytes($"POST /cni HTTP/1.1\r\nHost: plexusd\r\n{framing}\r\nConnection: close\r\n\r\n"));
        if (chunked)
        {
            for (var at = 0; at < body.Length; at += 1024)
            {
                await socket.SendAsync(Encoding.ASCII.GetBytes("400\r\n").Concat(body.Skip(at).Take(1024)).Concat("\r\n"u8.ToArray()).ToArray());
            }
            await socket.SendAsync("0\r\n\r\n"u8.ToArray());
        }
        else
        {
            await socket.SendAsync(body);
        }
        var text = await ReadToCloseAsync(socket);

        Assert.StartsWith("HTTP/1.1 200 OK\r\n", text, StringComparison.Ordinal);
        Assert.Equal(1, handler.Calls);
        Assert.Equal(0, BodyBytesHeld(daemon));
    }

    [Theory]
    [InlineData("Content-Length: 4194305\r\n\r\n")]
    [InlineData("Transfer-Encoding: chunked\r\n\r\n400001\r\n")]
    [InlineData("Transfer-Encoding: chunked\r\n\r\n200000\r\n")]
    public async Task BodyOverFourMiB_Answered413WithTheCniErrorBeforeTheRestIsRead(string framing)
    {
        var handler = new ScriptedHandler((_, _) => throw new InvalidOperationException("must not run"));
        await using var daemon = await TestDaemon.StartAsync(handler);
        using var socket = await ConnectAsync(daemon);

        await socket.SendAsync(Encoding.ASCII.GetBytes("POST /cni HTTP/1.1\r\nHost: plexusd\r\n" + framing));
        if (framing.EndsWith("200000\r\n", StringComparison.Ordinal))
        {
            // Two chunks of 2 MiB are the maximum; one byte more in a third is too much.
            await socket.SendAsync(new byte[2 << 20].Concat("\r\n200000\r\n"u8.ToArray()).Concat(new byte[2 << 20]).Concat("\r\n1\r\n"u8.ToArray()).ToArray());
        }
        var text = await ReadToCloseAsync(socket);

        Assert.StartsWith("HTTP/1.1 413 Content Too Large\r\nContent-Type: application/json\r\n", text, StringComparison.Ordinal);
        var error = JsonNode.Parse(text[text.IndexOf("\r\n\r\n", StringComparison.Ordinal)..])!;
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, (int)error["code"]!);
        Assert.Equal("plexusd: request body larger than 4 MiB", (string)error["msg"]!);
        Assert.Equal(0, handler.Calls);
        Assert.Equal(0, BodyBytesHeld(daemon));
    }

    [Fact]
    public async Task BodiesHeldBeyondTheSharedBudget_NextCallAnsweredCode11Busy_ServedAgainOnceTheyAreGone()
    {
        var handler = Succeeds();
        // The smallest admission limits: the budget is its floor, two bodies of the maximum size.
        await using var daemon = await TestDaemon.StartAsync(handler, o => o with { MaxInFlight = 1, MaxQueued = 0 });
        var stalled = new List<Socket>();
        try
        {
            for (var i = 0; i < 2; i++)
            {
                var socket = await ConnectAsync(daemon);
                stalled.Add(socket);
                await socket.SendAsync(Encoding.ASCII.GetBytes($"POST /cni HTTP/1.1\r\nHost: plexusd\r\nContent-Length: {RequestBody.MaxBytes}\r\n\r\n{{\"env\":"));
            }
            await WaitForBodyBytesAsync(daemon, 2L * RequestBody.MaxBytes);

            var refused = await daemon.ShimAsync("ADD", "c-refused");

            Assert.NotEqual(0, refused.ExitCode);
            var error = TestDaemon.Json(refused);
            Assert.Equal(CniErrorCode.TryAgainLater, (int)error["code"]!);
            Assert.Equal("plexusd is busy: request bodies being read or run already hold 8 MiB, all it buffers at once", (string)error["msg"]!);
            Assert.Equal(0, handler.Calls);
            Assert.Equal(1, daemon.Server.Services.GetRequiredService<DaemonMetrics>().Rejected.WithLabels("body_budget").Value);
        }
        finally
        {
            stalled.ForEach(s => s.Dispose());
        }

        await WaitForBodyBytesAsync(daemon, 0);
        Assert.Equal(0, (await daemon.ShimAsync("ADD", "c-served")).ExitCode);
        Assert.Equal(1, handler.Calls);
        Assert.Equal(0, BodyBytesHeld(daemon));
    }

    [Theory]
    [InlineData("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 4194304\r\n\r\n")]
    [InlineData("GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\n")]
    [InlineData("GET /metrics HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")]
    public async Task MetricsPort_RequestWithABody_Answered413AtTheHeadAndClosed(string head)
    {
        await using var daemon = await TestDaemon.StartAsync(Succeeds());
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, daemon.Server.MetricsUri!.Port));

        await socket.SendAsync(Encoding.ASCII.GetBytes(head));
        var text = await ReadToCloseAsync(socket);

        Assert.Equal("HTTP/1.1 413 Content Too Large\r\nContent-Type: text/plain\r\nContent-Length: 39\r\nConnection: close\r\n\r\n" +
            "the metrics port takes no request body\n", text);
        Assert.Equal(0, BodyBytesHeld(daemon));
    }

    private static double BodyBytesHeld(TestDaemon daemon) => daemon.Server.Services.GetRequiredService<DaemonMetrics>().RequestBodyBytes.Value;

    private static async Task WaitForBodyBytesAsync(TestDaemon daemon, double value)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (BodyBytesHeld(daemon) != value)
        {
            await Task.Delay(20, limit.Token);
        }
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
