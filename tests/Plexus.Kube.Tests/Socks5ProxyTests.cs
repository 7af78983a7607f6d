using System.Net;
using System.Net.Sockets;
using System.Text;
using Plexus.Testing;

namespace Plexus.Kube.Tests;

/// <summary>
/// The test SOCKS5 proxy's address types the API simulator (on 127.0.0.1 only) cannot show: an IPv6 target, through .NET's
/// own SOCKS5 client to a one-answer HTTP server on [::1].
/// </summary>
public sealed class Socks5ProxyTests
{
    [Fact]
    public async Task Get_IPv6Target_TunnelledAndRecordedInBrackets()
    {
        using var server = new TcpListener(IPAddress.IPv6Loopback, 0);
        server.Start();
        var port = ((IPEndPoint)server.LocalEndpoint).Port;
        var answering = AnswerOnceAsync(server);
        await using var proxy = new Socks5Proxy();
        using var client = new HttpClient(new SocketsHttpHandler { Proxy = new WebProxy($"socks5://127.0.0.1:{proxy.Port}"), UseProxy = true });

        var body = await client.GetStringAsync($"http://[::1]:{port}/");
        await answering;

        Assert.Equal("ok", body);
        Assert.Equal([$"[::1]:{port}"], proxy.Targets);
    }

    // A target off loopback is refused with "connection not allowed by ruleset" (0x02), before anything is connected.
    [Fact]
    public async Task Get_TargetOffLoopback_NotAllowedByRuleset()
    {
        await using var proxy = new Socks5Proxy();
        using var client = new HttpClient(new SocketsHttpHandler { Proxy = new WebProxy($"socks5://127.0.0.1:{proxy.Port}"), UseProxy = true });

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync("http://192.0.2.1:80/"));

        Assert.Equal(HttpRequestError.ProxyTunnelError, error.HttpRequestError);
        Assert.EndsWith("0x02.", error.InnerException!.Message);
        Assert.Equal(0, proxy.Tunnels);
    }

    private static async Task AnswerOnceAsync(TcpListener server)
    {
        using var connection = await server.AcceptTcpClientAsync();
        var stream = connection.GetStream();
        var request = new StringBuilder();
        var buffer = new byte[1024];
        while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer);
            if (read == 0)
            {
                return;
            }
            request.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"u8.ToArray());
    }
}
