using System.Text;
using Plexus.Cni;
using Plexus.Daemon.Protocol.Tests.Shim;

namespace Plexus.Daemon.Protocol.Tests;

public sealed class DaemonClientTests
{
    private static readonly DaemonTimeouts Timeouts = new(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30));

    [Fact]
    public void Post_BodyOfExactlyTheDaemonsLimit_IsSent()
    {
        using var fake = new FakeDaemon("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");

        var reply = DaemonClient.Post(fake.SocketPath, DaemonEndpoints.Cni, new byte[DaemonEndpoints.MaxRequestBodyBytes], Timeouts, CancellationToken.None);

        Assert.Equal(200, reply.StatusCode);
    }

    // The socket does not exist: had the client tried to connect, the error would be "not running" (code 11).
    [Fact]
    public void Post_BodyOneByteAboveTheDaemonsLimit_Code7NamingBothSizesWithoutConnecting()
    {
        var socket = Path.Combine(Path.GetTempPath(), "plexus-absent-" + Guid.NewGuid().ToString("N"), "plexus.sock");

        var error = Assert.Throws<CniException>(() =>
            DaemonClient.Post(socket, DaemonEndpoints.Cni, new byte[DaemonEndpoints.MaxRequestBodyBytes + 1], Timeouts, CancellationToken.None));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains($"the request is {DaemonEndpoints.MaxRequestBodyBytes + 1} bytes, above plexusd's limit of {DaemonEndpoints.MaxRequestBodyBytes} bytes",
            error.Message, StringComparison.Ordinal);
        Assert.Contains(socket, error.Message, StringComparison.Ordinal);
    }

    // A daemon that answers at the head and closes with the body unread: the client's send breaks (EPIPE), its answer is
    // still on the socket. 3 MiB is far above what the socket buffers, so the send cannot complete before the close.
    [Fact]
    public void Post_DaemonAnswersAtTheHeadAndCloses_ReturnsThatAnswerNotTheBrokenSend()
    {
        const string error = """{"cniVersion":"1.1.0","code":7,"msg":"request body larger than 4 MiB"}""";
        using var fake = new FakeDaemon($"HTTP/1.1 413 Content Too Large\r\nContent-Type: application/json\r\nContent-Length: {error.Length}\r\nConnection: close\r\n\r\n{error}",
            headOnly: true);

        var reply = DaemonClient.Post(fake.SocketPath, DaemonEndpoints.Cni, new byte[3 << 20], Timeouts, CancellationToken.None);

        Assert.Equal((413, error), (reply.StatusCode, Encoding.UTF8.GetString(reply.Body)));
    }

    [Fact]
    public void Post_DaemonClosesAtTheHeadWithoutAnswering_Code11NamingTheBrokenSend()
    {
        using var fake = new FakeDaemon("", headOnly: true);

        var error = Assert.Throws<CniException>(() =>
            DaemonClient.Post(fake.SocketPath, DaemonEndpoints.Cni, new byte[3 << 20], Timeouts, CancellationToken.None));

        Assert.Equal(CniErrorCode.TryAgainLater, error.Code);
        Assert.Contains("connection failed: send", error.Message, StringComparison.Ordinal);
        Assert.Equal("check that plexusd is running", error.Details);
    }
}
