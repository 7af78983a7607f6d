using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Plexus.Testing;

/// <summary>
/// An HTTP CONNECT proxy on 127.0.0.1 for tests: it opens a tunnel only to a loopback target, relays its bytes both
/// ways and counts the tunnels it opened, so a test can prove a client's requests went through it. With
/// <see cref="RequiredCredentials"/> it asks for Basic proxy authentication (407) until they are sent; with
/// <see cref="RefuseTunnels"/> it answers every CONNECT with 403; with <see cref="NeverAnswer"/> it accepts connections
/// and reads what comes but answers nothing, as a hung proxy. With <see cref="TlsCertificate"/> it is an https:// proxy.
/// </summary>
public sealed class ConnectProxy : IAsyncDisposable
{
    private const int MaxHeaderBytes = 16 * 1024;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<TcpClient> _connections = [];
    private readonly ConcurrentQueue<string> _targets = new();
    private readonly Task _accepting;
    private int _tunnels;
    private int _authenticationChallenges;
    private int _tlsHandshakes;

    public ConnectProxy()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Tunnels opened to a target so far.</summary>
    public int Tunnels => Volatile.Read(ref _tunnels);

    /// <summary>407 answers sent for a CONNECT without the right credentials.</summary>
    public int AuthenticationChallenges => Volatile.Read(ref _authenticationChallenges);

    /// <summary>The targets (host:port) of the CONNECT requests answered 200.</summary>
    public IReadOnlyCollection<string> Targets => [.. _targets];

    /// <summary>The user and password a CONNECT must carry (Proxy-Authorization: Basic); null: none needed.</summary>
    public (string User, string Password)? RequiredCredentials { get; init; }

    public bool RefuseTunnels { get; init; }

    public bool NeverAnswer { get; init; }

    /// <summary>The certificate (with its key) a client's TLS handshake gets before its CONNECT; null: plain HTTP.</summary>
    public X509Certificate2? TlsCertificate { get; init; }

    /// <summary>TLS handshakes with this proxy that completed.</summary>
    public int TlsHandshakes => Volatile.Read(ref _tlsHandshakes);

    /// <summary>A port on 127.0.0.1 nothing listens on: a proxy that is down.</summary>
    public static int DeadPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

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
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            await using var stream = await ClientStreamAsync(client);
            if (NeverAnswer)
            {
                // Reading until the client gives up keeps the connection open without a word.
                await stream.CopyToAsync(Stream.Null, _stop.Token);
                return;
            }
            // A client may send a second CONNECT on the same connection after a 407.
            while (await ReadHeaderAsync(stream) is { } header)
            {
                var lines = header.Split("\r\n");
                var request = lines[0].Split(' ');
                if (request is not ["CONNECT", var target, _] || !IsLoopback(target))
                {
                    await AnswerAsync(stream, "403 Forbidden");
                    return;
                }
                if (RefuseTunnels)
                {
                    await AnswerAsync(stream, "403 Forbidden");
                    return;
                }
                if (RequiredCredentials is var (user, password) && !lines.Any(line => IsBasicAuthorization(line, user, password)))
                {
                    Interlocked.Increment(ref _authenticationChallenges);
                    await AnswerAsync(stream, "407 Proxy Authentication Required", "Proxy-Authenticate: Basic realm=\"plexus-test\"\r\n");
                    continue;
                }
                await TunnelAsync(stream, target);
                return;
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException
            or AuthenticationException)
        {
            // The client or the target hung up (the tunnel is over), or the client refused the certificate.
        }
        finally
        {
            client.Dispose();
        }
    }

    private async Task<Stream> ClientStreamAsync(TcpClient client)
    {
        if (TlsCertificate is null)
        {
            return client.GetStream();
        }
        var tls = new SslStream(client.GetStream());
        try
        {
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = TlsCertificate }, _stop.Token);
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }
        Interlocked.Increment(ref _tlsHandshakes);
        return tls;
    }

    private async Task TunnelAsync(Stream stream, string target)
    {
        var separator = target.LastIndexOf(':');
        using var upstream = new TcpClient();
        await upstream.ConnectAsync(target[..separator].Trim('[', ']'), int.Parse(target[(separator + 1)..], System.Globalization.CultureInfo.InvariantCulture), _stop.Token);
        _targets.Enqueue(target);
        Interlocked.Increment(ref _tunnels);
        await AnswerAsync(stream, "200 Connection established", contentLength: false);
        var upstreamStream = upstream.GetStream();
        // Whichever side ends first ends the tunnel.
        await Task.WhenAny(stream.CopyToAsync(upstreamStream, _stop.Token), upstreamStream.CopyToAsync(stream, _stop.Token));
    }

    private static bool IsBasicAuthorization(string headerLine, string user, string password)
    {
        const string Name = "Proxy-Authorization:";
        return headerLine.StartsWith(Name, StringComparison.OrdinalIgnoreCase)
            && headerLine[Name.Length..].Trim() == "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
    }

    private static bool IsLoopback(string target)
    {
        var separator = target.LastIndexOf(':');
        return separator > 0 && target[..separator].Trim('[', ']') is var host
            && (host == "localhost" || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address)));
    }

    // Byte by byte up to the blank line, so nothing the client sends after the header (its TLS hello) is swallowed.
    private async Task<string?> ReadHeaderAsync(Stream stream)
    {
        var header = new List<byte>();
        var one = new byte[1];
        while (header.Count < MaxHeaderBytes)
        {
            if (await stream.ReadAsync(one, _stop.Token) == 0)
            {
                return null;
            }
            header.Add(one[0]);
            if (header.Count >= 4 && header[^4] == '\r' && header[^3] == '\n' && header[^2] == '\r' && header[^1] == '\n')
            {
                return Encoding.ASCII.GetString([.. header.Take(header.Count - 4)]);
            }
        }
        return null;
    }

    private async Task AnswerAsync(Stream stream, string status, string headers = "", bool contentLength = true) =>
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\n{headers}{(contentLength ? "Content-Length: 0\r\n" : "")}\r\n"), _stop.Token);

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
    }
}
