using System.Net;
using System.Net.Sockets;
using Plexus.Linux.Sockets;

namespace Plexus.Linux.Tests.Sockets;

/// <summary>The blocking socket against real loopback listeners (TCP on 127.0.0.1 and ::1, and a unix socket).</summary>
public sealed class BlockingSocketTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(10);
    private readonly string _dir = Directory.CreateTempSubdirectory("plexus-socket-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SkippableTheory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task ConnectTcp_Listener_BytesBothWays(string address)
    {
        using var listener = new TcpListener(IPAddress.Parse(address), 0);
        try
        {
            listener.Start();
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressNotAvailable)
        {
            Skip.If(true, $"{address} is not configured on this machine (IPv6 disabled)");
        }
        var echo = EchoOnceAsync(listener.AcceptSocketAsync());

        using var socket = BlockingSocket.ConnectTcp((IPEndPoint)listener.LocalEndpoint, Generous, CancellationToken.None);
        socket.Send("ping"u8, BlockingSocket.DeadlineAfter(Generous), CancellationToken.None);
        var answer = ReceiveAll(socket);

        Assert.Equal("ping", System.Text.Encoding.ASCII.GetString(answer));
        await echo;
    }

    [Fact]
    public void ConnectTcp_NothingListening_RefusedWithErrno()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var endpoint = (IPEndPoint)listener.LocalEndpoint;
        listener.Stop();

        var error = Assert.Throws<SocketCallException>(() => BlockingSocket.ConnectTcp(endpoint, Generous, CancellationToken.None));

        Assert.Equal(111, error.Errno); // ECONNREFUSED
        Assert.Contains("connect", error.Message);
        Assert.False(error.IsTimeout);
    }

    [Fact]
    public void Receive_PeerSilent_TimesOut()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var socket = BlockingSocket.ConnectTcp((IPEndPoint)listener.LocalEndpoint, Generous, CancellationToken.None);

        var error = Assert.Throws<SocketCallException>(() =>
            socket.Receive(new byte[16], BlockingSocket.DeadlineAfter(TimeSpan.FromMilliseconds(300)), CancellationToken.None));

        Assert.True(error.IsTimeout);
        Assert.Contains("timed out", error.Message);
    }

    [Fact]
    public void Receive_Cancelled_StopsWaiting()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var socket = BlockingSocket.ConnectTcp((IPEndPoint)listener.LocalEndpoint, Generous, CancellationToken.None);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        Assert.ThrowsAny<OperationCanceledException>(() =>
            socket.Receive(new byte[16], BlockingSocket.DeadlineAfter(Generous), cancellation.Token));
    }

    [Fact]
    public async Task ConnectUnix_Listener_BytesBothWaysThroughStream()
    {
        var path = Path.Combine(_dir, "s.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen();
        var echo = EchoOnceAsync(listener.AcceptAsync());

        using var stream = new BlockingSocketStream(BlockingSocket.ConnectUnix(path, Generous, CancellationToken.None))
        {
            Deadline = BlockingSocket.DeadlineAfter(Generous),
        };
        stream.Write("hello"u8);
        using var received = new MemoryStream();
        stream.CopyTo(received);

        Assert.Equal("hello", System.Text.Encoding.ASCII.GetString(received.ToArray()));
        await echo;
    }

    // Above ~922 s the timestamp arithmetic overflowed into a deadline in the past: every call timed out at once.
    [Theory]
    [InlineData(923)]
    [InlineData(86_400)]
    public async Task ConnectUnix_TimeoutBeyond922Seconds_BytesBothWays(int seconds)
    {
        var path = Path.Combine(_dir, "long.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen();
        var echo = EchoOnceAsync(listener.AcceptAsync());
        var timeout = TimeSpan.FromSeconds(seconds);

        using var socket = BlockingSocket.ConnectUnix(path, timeout, CancellationToken.None);
        socket.Send("long"u8, BlockingSocket.DeadlineAfter(timeout), CancellationToken.None);
        var buffer = new byte[16];
        var n = socket.Receive(buffer, BlockingSocket.DeadlineAfter(timeout), CancellationToken.None);

        Assert.Equal("long", System.Text.Encoding.ASCII.GetString(buffer, 0, n));
        await echo;
    }

    [Fact]
    public void DeadlineAfter_MaxTimeSpan_LaterThanADay()
    {
        var day = BlockingSocket.DeadlineAfter(TimeSpan.FromDays(1));

        Assert.True(BlockingSocket.DeadlineAfter(TimeSpan.MaxValue) > day);
        Assert.True(day - System.Diagnostics.Stopwatch.GetTimestamp() > 86_000 * System.Diagnostics.Stopwatch.Frequency);
    }

    [Fact]
    public void ConnectUnix_NoSocketFile_EnoentNamingCall()
    {
        var error = Assert.Throws<SocketCallException>(() => BlockingSocket.ConnectUnix(Path.Combine(_dir, "missing.sock"), Generous, CancellationToken.None));

        Assert.Equal(2, error.Errno); // ENOENT
        Assert.StartsWith("connect", error.Message);
    }

    [Fact]
    public void ConnectUnix_PathTooLong_ClearError()
    {
        var error = Assert.Throws<SocketCallException>(() => BlockingSocket.ConnectUnix("/" + new string('x', 120), Generous, CancellationToken.None));

        Assert.Contains("longer than the 107", error.Message);
    }

    // Reads until the peer closes.
    private static byte[] ReceiveAll(BlockingSocket socket)
    {
        using var all = new MemoryStream();
        var buffer = new byte[64];
        for (int n; (n = socket.Receive(buffer, BlockingSocket.DeadlineAfter(Generous), CancellationToken.None)) > 0;)
        {
            all.Write(buffer, 0, n);
        }
        return all.ToArray();
    }

    // Echoes what arrives until the client has sent something, then closes.
    private static async Task EchoOnceAsync(Task<Socket> accepting)
    {
        using var peer = await accepting;
        var buffer = new byte[64];
        var n = await peer.ReceiveAsync(buffer);
        await peer.SendAsync(buffer.AsMemory(0, n));
        peer.Shutdown(SocketShutdown.Both);
    }
}
