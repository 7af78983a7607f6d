using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;

namespace Plexus.Testing;

/// <summary>
/// What the test proxies share: a listener on 127.0.0.1, tunnels only to loopback targets whose bytes are relayed both
/// ways and which are counted and recorded (so a test can prove a client's requests went through the proxy), a hung mode,
/// tunnels frozen into a black hole (<see cref="FreezeTunnels"/>) and disposal. A subclass speaks its protocol (HTTP CONNECT, SOCKS5) on each accepted connection.
/// </summary>
public abstract class LoopbackProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<TcpClient> _connections = [];
    private readonly ConcurrentQueue<string> _targets = new();
    private readonly Task _accepting;
    private int _tunnels;
    private int _freezes;

    /// <param name="port">The port to listen on; 0: any free one.</param>
    protected LoopbackProxy(int port = 0)
    {
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Tunnels opened to a target so far.</summary>
    public int Tunnels => Volatile.Read(ref _tunnels);

    /// <summary>The targets (host:port, an IPv6 address in brackets) of the tunnels opened.</summary>
    public IReadOnlyCollection<string> Targets => [.. _targets];

    /// <summary>The user and password a client must authenticate with, as the protocol carries them; null: none needed.</summary>
    public (string User, string Password)? RequiredCredentials { get; init; }

    /// <summary>Every tunnel request is refused, as the protocol says it.</summary>
    public bool RefuseTunnels { get; init; }

    /// <summary>Connections are accepted and what comes is read, but nothing is answered: a hung proxy.</summary>
    public bool NeverAnswer { get; init; }

    /// <summary>Cancelled when the proxy is disposed.</summary>
    protected CancellationToken Stopping => _stop.Token;

    /// <summary>The proxy a proxy-url of <paramref name="scheme"/> names: SOCKS5 for socks5, HTTP CONNECT otherwise.</summary>
    public static LoopbackProxy For(string scheme, (string User, string Password)? requiredCredentials = null, bool refuseTunnels = false,
        bool neverAnswer = false) => scheme == "socks5"
        ? new Socks5Proxy { RequiredCredentials = requiredCredentials, RefuseTunnels = refuseTunnels, NeverAnswer = neverAnswer }
        : new ConnectProxy { RequiredCredentials = requiredCredentials, RefuseTunnels = refuseTunnels, NeverAnswer = neverAnswer };

    /// <summary>
    /// Every tunnel open now stops relaying in both directions without closing (nor passing on a close), as a
    /// connection whose packets the network drops: its ends wait for ever. Tunnels opened afterwards relay as before.
    /// </summary>
    public void FreezeTunnels() => Interlocked.Increment(ref _freezes);

    /// <summary>The stream to speak with a client over: the connection itself unless the proxy adds TLS.</summary>
    protected virtual Task<Stream> OpenAsync(TcpClient client) => Task.FromResult<Stream>(client.GetStream());

    /// <summary>Speaks the proxy's protocol with one client, through its tunnel (<see cref="TunnelAsync"/>) when it opens one.</summary>
    protected abstract Task ServeAsync(Stream client);

    /// <summary>
    /// Connects to the target, lets <paramref name="answerOpened"/> tell the client (given the local end of the connection
    /// to the target, which a SOCKS reply carries), then relays bytes both ways until either side ends.
    /// </summary>
    protected async Task TunnelAsync(Stream client, string host, int port, Func<IPEndPoint, Task> answerOpened)
    {
        var isIPv6 = host.Contains(':', StringComparison.Ordinal);
        // A name is resolved to IPv4 addresses only: the API simulator listens on 127.0.0.1.
        using var upstream = new TcpClient(isIPv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork);
        await upstream.ConnectAsync(host, port, Stopping);
        _targets.Enqueue(isIPv6 ? $"[{host}]:{port}" : $"{host}:{port}");
        Interlocked.Increment(ref _tunnels);
        await answerOpened((IPEndPoint)upstream.Client.LocalEndPoint!);
        var upstreamStream = upstream.GetStream();
        var freezes = Volatile.Read(ref _freezes);
        // Whichever side ends first ends the tunnel.
        await Task.WhenAny(RelayAsync(client, upstreamStream, freezes), RelayAsync(upstreamStream, client, freezes));
    }

    /// <param name="freezes">How many times the tunnels had been frozen when this one opened: one more freezes it.</param>
    private async Task RelayAsync(Stream from, Stream to, int freezes)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer, Stopping)) > 0)
        {
            if (!IsFrozen(freezes))
            {
                await to.WriteAsync(buffer.AsMemory(0, read), Stopping);
            }
        }
        if (IsFrozen(freezes))
        {
            await Task.Delay(Timeout.Infinite, Stopping);
        }
    }

    private bool IsFrozen(int freezesAtOpen) => Volatile.Read(ref _freezes) != freezesAtOpen;

    /// <summary>Whether a tunnel may go to <paramref name="host"/> (an address without brackets, or a name): loopback only.</summary>
    protected static bool IsLoopback(string host) =>
        host == "localhost" || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _connections.Add(client);
            _ = ServeConnectionAsync(client);
        }
    }

    private async Task ServeConnectionAsync(TcpClient client)
    {
        try
        {
            await using var stream = await OpenAsync(client);
            if (NeverAnswer)
            {
                // Reading until the client gives up keeps the connection open without a word.
                await stream.CopyToAsync(Stream.Null, _stop.Token);
                return;
            }
            await ServeAsync(stream);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException
            or AuthenticationException)
        {
            // The client or the target hung up (the tunnel is over), or the client refused the proxy's certificate.
        }
        finally
        {
            client.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        foreach (var connection in _connections)
        {
            connection.Dispose();
        }
        await _accepting;
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }
}
