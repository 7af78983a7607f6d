using System.Net;
using System.Net.Sockets;
using System.Text;
using Plexus.Kube.Http;

namespace Plexus.Kube.Tests.Http;

/// <summary>The calling-thread transport against a scripted HTTP server on loopback.</summary>
public sealed class CallingThreadHttpHandlerTests : IDisposable
{
    private const string Ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}";
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<string> _requests = [];
    private readonly SemaphoreSlim _closedByServer = new(0);
    private int _connections;

    public CallingThreadHttpHandlerTests() => _listener.Start();

    public void Dispose()
    {
        _listener.Dispose();
        _closedByServer.Dispose();
    }

    private Uri Url(string path) => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}{path}");

    private static CallingThreadHttpHandler Handler(TimeSpan? ioTimeout = null) =>
        new(null, TimeSpan.FromSeconds(10), ioTimeout ?? TimeSpan.FromSeconds(10));

    private static HttpClient Client(TimeSpan? ioTimeout = null) => new(Handler(ioTimeout)) { Timeout = Timeout.InfiniteTimeSpan };

    // Each accepted connection answers the requests it reads with the next answers of its script; null closes it.
    private Task Serve(params string?[][] scripts) => Task.Run(async () =>
    {
        foreach (var script in scripts)
        {
            using (var peer = await _listener.AcceptSocketAsync())
            {
                Interlocked.Increment(ref _connections);
                foreach (var answer in script)
                {
                    if (answer is null)
                    {
                        break;
                    }
                    lock (_requests)
                    {
                        _requests.Add(ReadRequest(peer));
                    }
                    peer.Send(Encoding.ASCII.GetBytes(answer));
                }
            }
            _closedByServer.Release();
        }
    });

    // For a test of a connection the server closed while it was idle: a fixed sleep could end before the close on a
    // loaded machine, and the request then met a connection still open (another path).
    private async Task ServerClosedAConnectionAsync() =>
        Assert.True(await _closedByServer.WaitAsync(TimeSpan.FromSeconds(30)), "the server did not close the connection");

    // Cancels the request while it waits for its answer: the server has read it and stays silent. A timer instead could
    // fire before the client connected on a loaded machine, and the accept then waited for ever.
    private Task<Socket> CancelOnceRequestRead(CancellationTokenSource cancellation) => Task.Run(async () =>
    {
        var peer = await _listener.AcceptSocketAsync();
        ReadRequest(peer);
        await cancellation.CancelAsync();
        return peer;
    });

    private static string ReadRequest(Socket peer)
    {
        var received = new StringBuilder();
        var buffer = new byte[4096];
        while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var n = peer.Receive(buffer);
            if (n == 0)
            {
                break;
            }
            received.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }
        var text = received.ToString();
        var length = text.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length: ", StringComparison.Ordinal)) is { } header ? int.Parse(header[16..]) : 0;
        while (Encoding.ASCII.GetByteCount(text) - text.IndexOf("\r\n\r\n", StringComparison.Ordinal) - 4 < length)
        {
            text += Encoding.ASCII.GetString(buffer, 0, peer.Receive(buffer));
        }
        return text;
    }

    [Fact]
    public async Task Send_TwoRequests_OneKeptAliveConnection()
    {
        var server = Serve([Ok, Ok]);
        using var client = Client();

        using var first = client.Send(new HttpRequestMessage(HttpMethod.Get, Url("/a")));
        using var second = client.Send(new HttpRequestMessage(HttpMethod.Post, Url("/b")) { Content = new StringContent("xy") });

        await server;
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        Assert.Equal("{}", await second.Content.ReadAsStringAsync());
        Assert.Equal(1, _connections);
        Assert.StartsWith("GET /a HTTP/1.1\r\nHost: 127.0.0.1:", _requests[0]);
        Assert.StartsWith("POST /b HTTP/1.1\r\n", _requests[1]);
        Assert.EndsWith("Content-Length: 2\r\n\r\nxy", _requests[1]);
    }

    [Fact]
    public async Task Send_IdleConnectionClosedByServer_RetriedOnANewConnection()
    {
        var server = Serve([Ok, null], [Ok]);
        using var client = Client();

        using var first = client.Send(new HttpRequestMessage(HttpMethod.Get, Url("/a")));
        await ServerClosedAConnectionAsync();
        using var second = client.Send(new HttpRequestMessage(HttpMethod.Get, Url("/b")));

        await server;
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(2, _connections);
        Assert.Equal(["/a", "/b"], _requests.Select(r => r.Split(' ')[1]));
    }

    [Fact]
    public async Task Send_AnswerSaysConnectionClose_NextRequestOnANewConnection()
    {
        var server = Serve(["HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"], [Ok]);
        using var client = Client();

        client.Send(new HttpRequestMessage(HttpMethod.Get, Url("/a"))).Dispose();
        using var second = client.Send(new HttpRequestMessage(HttpMethod.Get, Url("/b")));

        await server;
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(2, _connections);
    }

    [Fact]
    public async Task Send_NewConnectionClosedMidAnswer_HttpRequestExceptionNamingServer()
    {
        var server = Serve(["HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"partial"]);
        using var client = Client();

        var error = Assert.Throws<HttpRequestException>(() => client.Send(new HttpRequestMessage(HttpMethod.Get, Url("/a"))));

        await server;
        Assert.Contains("GET /a on 127.0.0.1:", error.Message);
        Assert.Contains("closed the connection in the middle of an answer", error.Message);
    }

    [Fact]
    public async Task ConnectAhead_ThenRequests_AllOnTheConnectionOpenedAhead()
    {
        var server = Serve([Ok, Ok]);
        var handler = Handler();
        using var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };

        handler.ConnectAhead(Url("/"), CancellationToken.None);
        var connectedAhead = SpinWait.SpinUntil(() => Volatile.Read(ref _connections) == 1, TimeSpan.FromSeconds(10));
        using var first = client.Send(new HttpRequestMessage(HttpMethod.Get, Url("/a")));
        using var second = client.Send(new HttpRequestMessage(HttpMethod.Get, Url("/b")));

        await server;
        Assert.True(connectedAhead);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        Assert.Equal(1, _connections);
    }

    [Fact]
    public async Task ConnectAhead_ClosedByServerBeforeTheRequest_RequestOnANewConnection()
    {
        var server = Serve([null], [Ok]);
        var handler = Handler();
        using var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };

        handler.ConnectAhead(Url("/"), CancellationToken.None);
        await ServerClosedAConnectionAsync();
        using var answer = client.Send(new HttpRequestMessage(HttpMethod.Get, Url("/a")));

        await server;
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(2, _connections);
    }

    [Fact]
    public void ConnectAhead_NothingListening_NoErrorTheRequestReportsIt()
    {
        var url = Url("/a");
        _listener.Stop();
        var handler = Handler();
        using var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };

        handler.ConnectAhead(url, CancellationToken.None);
        var error = Assert.Throws<HttpRequestException>(() => client.Send(new HttpRequestMessage(HttpMethod.Get, url)));

        Assert.Contains("refused", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Send_NothingListening_HttpRequestExceptionRefused()
    {
        var url = Url("/a");
        _listener.Stop();
        using var client = Client();

        var error = Assert.Throws<HttpRequestException>(() => client.Send(new HttpRequestMessage(HttpMethod.Get, url)));

        Assert.Contains("refused", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Send_ServerSilent_TimesOutWithClearError()
    {
        var silent = _listener.AcceptSocketAsync();
        using var client = Client(ioTimeout: TimeSpan.FromMilliseconds(300));

        var error = Assert.Throws<HttpRequestException>(() => client.Send(new HttpRequestMessage(HttpMethod.Get, Url("/a"))));

        Assert.Contains("timed out", error.Message);
        (await silent).Dispose();
    }

    [Fact]
    public async Task Send_Cancelled_OperationCanceled()
    {
        using var cancellation = new CancellationTokenSource();
        var silent = CancelOnceRequestRead(cancellation);
        using var client = Client();

        Assert.ThrowsAny<OperationCanceledException>(() => client.Send(new HttpRequestMessage(HttpMethod.Get, Url("/a")), cancellation.Token));

        (await silent).Dispose();
    }

    [Fact]
    public async Task Send_AfterACancelledRequest_NewConnectionNotTheHalfAnsweredOne()
    {
        using var client = Client();
        Task<Socket> silent;
        using (var cancellation = new CancellationTokenSource())
        {
            silent = CancelOnceRequestRead(cancellation);
            Assert.ThrowsAny<OperationCanceledException>(() => client.Send(new HttpRequestMessage(HttpMethod.Get, Url("/slow")), cancellation.Token));
        }
        using var first = await silent;
        first.Send(Encoding.ASCII.GetBytes(Ok)); // the late answer must not be taken for the next request's
        var server = Serve([Ok]);

        using var second = client.Send(new HttpRequestMessage(HttpMethod.Get, Url("/b")));

        await server;
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(1, _connections);
        Assert.StartsWith("GET /b ", Assert.Single(_requests));
    }

    [Fact]
    public async Task SendAsync_CompletesOnTheCallingThread()
    {
        var server = Serve([Ok]);
        using var client = Client();
        var thread = Environment.CurrentManagedThreadId;

        var sending = client.SendAsync(new HttpRequestMessage(HttpMethod.Get, Url("/a")));

        Assert.True(sending.IsCompleted);
        Assert.Equal(thread, Environment.CurrentManagedThreadId);
        (await sending).Dispose();
        await server;
    }
}
