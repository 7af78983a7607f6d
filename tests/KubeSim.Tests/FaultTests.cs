using System.Net;
using System.Net.Sockets;
using Plexus.KubeSim.Tests.Support;

namespace Plexus.KubeSim.Tests;

/// <summary>Fault switches, flipped while the simulator runs.</summary>
public sealed class FaultTests
{
    [Theory]
    [InlineData(500, "InternalError")]
    [InlineData(429, "TooManyRequests")]
    public async Task ErrorShare_All_ResourceRequestsFailDiscoveryStillWorks(int code, string reason)
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();
        sim.Faults.ErrorCode = code;
        sim.Faults.ErrorShare = 1;

        var (failedCode, status) = await ErrorAnswerTests.SendAsync(http, HttpMethod.Get, "api/v1/namespaces/default/pods");
        using var retry = await http.GetAsync("api/v1/namespaces/default/pods");
        var discovery = await http.GetAsync("api/v1");
        sim.Faults.Clear();
        var healed = await ErrorAnswerTests.SendAsync(http, HttpMethod.Get, "api/v1/namespaces/default/pods");

        Assert.Equal(code, failedCode);
        ErrorAnswerTests.AssertStatus(status, code, reason);
        Assert.Equal(code == 429, retry.Headers.RetryAfter is not null);
        Assert.True(discovery.IsSuccessStatusCode);
        Assert.Equal(200, healed.Code);
        Assert.Equal(3, sim.Requests.Count("list", "pods"));
    }

    [Fact]
    public async Task ErrorShare_Half_SomeRequestsFailSomeSucceed()
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();
        sim.Faults.Seed(7);
        sim.Faults.ErrorShare = 0.5;

        var codes = new List<int>();
        for (var i = 0; i < 40; i++) codes.Add((await ErrorAnswerTests.SendAsync(http, HttpMethod.Get, "api/v1/namespaces")).Code);

        Assert.Contains(200, codes);
        Assert.Contains(500, codes);
        Assert.All(codes, c => Assert.True(c is 200 or 500));
    }

    [Fact]
    public async Task Latency_Set_RequestHeldUntilCleared()
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();
        sim.Faults.Latency = TimeSpan.FromHours(1);

        using var shortDeadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => http.GetAsync("api/v1/namespaces", shortDeadline.Token));
        sim.Faults.Latency = TimeSpan.Zero;
        using var answer = await http.GetAsync("api/v1/namespaces");

        Assert.True(answer.IsSuccessStatusCode);
    }

    [Fact]
    public async Task DropWatches_OpenWatch_StreamCutAndWatcherGone()
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var client = KubeClients.Create(sim);
        sim.CreatePod("default", "p");
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var watch = await HandWatch.StartAsync(client, "api/v1/namespaces/default/pods?watch=true", deadline.Token);
        Assert.Equal("ADDED", (await watch.NextAsync())!.Type);

        sim.DropWatches();

        var ended = await Record.ExceptionAsync(async () => Assert.Null(await watch.NextAsync()));
        Assert.True(ended is null or HttpRequestException or IOException, $"unexpected end of the watch: {ended}");
        for (var i = 0; i < 100 && sim.ActiveWatches > 0; i++) await Task.Delay(50);
        Assert.Equal(0, sim.ActiveWatches);
    }

    [Fact]
    public async Task RefuseConnections_ThenAccept_RefusedMeanwhileStateKept()
    {
        await using var sim = await KubeSimServer.StartAsync();
        sim.CreatePod("default", "p");
        var port = sim.Port;

        await sim.RefuseConnectionsAsync();
        using (var refused = sim.CreateHttpClient())
        {
            var error = await Assert.ThrowsAsync<HttpRequestException>(() => refused.GetAsync("api/v1/namespaces/default/pods/p"));
            Assert.Equal(SocketError.ConnectionRefused, (error.InnerException as SocketException)?.SocketErrorCode);
        }
        Assert.True(sim.RefusingConnections);
        // The port stays bound meanwhile, so the kernel hands it to no other server (a test process beside this one).
        Assert.Equal(EADDRINUSE, BindWithoutReuse(port));
        await sim.AcceptConnectionsAsync();
        using var http = sim.CreateHttpClient();
        var (code, pod) = await ErrorAnswerTests.SendAsync(http, HttpMethod.Get, "api/v1/namespaces/default/pods/p");

        Assert.Equal(port, sim.Port);
        Assert.Equal(200, code);
        Assert.Equal("p", pod["metadata"]!["name"]!.GetValue<string>());
    }

    private const int EADDRINUSE = 98;

    // .NET sets SO_REUSEADDR on every TCP bind, which a bound port that nobody listens on does not stop: hence libc.
    private static int BindWithoutReuse(int port)
    {
        var fd = socket(2, 1, 0);   // AF_INET, SOCK_STREAM
        Assert.True(fd >= 0);
        try
        {
            var address = new byte[16];
            address[0] = 2;   // sin_family AF_INET, little-endian
            address[2] = (byte)(port >> 8);
            address[3] = (byte)port;
            address[4] = 127;
            address[7] = 1;
            return bind(fd, address, address.Length) == 0 ? 0 : System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
        }
        finally
        {
            close(fd);
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int socket(int domain, int type, int protocol);

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int bind(int fd, byte[] address, int length);

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern int close(int fd);
}
