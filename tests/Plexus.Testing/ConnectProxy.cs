using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Plexus.Testing;

/// <summary>
/// An HTTP CONNECT proxy on 127.0.0.1 for tests (see <see cref="LoopbackProxy"/>). With
/// <see cref="LoopbackProxy.RequiredCredentials"/> it asks for Basic proxy authentication (407) until they are sent; with
/// <see cref="LoopbackProxy.RefuseTunnels"/> it answers every CONNECT with 403. With <see cref="TlsCertificate"/> it is an
/// https:// proxy.
/// </summary>
public sealed class ConnectProxy : LoopbackProxy
{
    private const int MaxHeaderBytes = 16 * 1024;
    private int _authenticationChallenges;
    private int _tlsHandshakes;

    /// <summary>407 answers sent for a CONNECT without the right credentials.</summary>
    public int AuthenticationChallenges => Volatile.Read(ref _authenticationChallenges);

    /// <summary>The certificate (with its key) a client's TLS handshake gets before its CONNECT; null: plain HTTP.</summary>
    public X509Certificate2? TlsCertificate { get; init; }

    /// <summary>TLS handshakes with this proxy that completed.</summary>
    public int TlsHandshakes => Volatile.Read(ref _tlsHandshakes);

    protected override async Task ServeAsync(Stream client)
    {
        // A client may send a second CONNECT on the same connection after a 407.
        while (await ReadHeaderAsync(client) is { } header)
        {
            var lines = header.Split("\r\n");
            var request = lines[0].Split(' ');
            if (request is not ["CONNECT", var target, _] || !TryParseTarget(target, out var host, out var port) || !IsLoopback(host)
                || RefuseTunnels)
            {
                await AnswerAsync(client, "403 Forbidden");
                return;
            }
            if (RequiredCredentials is var (user, password) && !lines.Any(line => IsBasicAuthorization(line, user, password)))
            {
                Interlocked.Increment(ref _authenticationChallenges);
                await AnswerAsync(client, "407 Proxy Authentication Required", "Proxy-Authenticate: Basic realm=\"plexus-test\"\r\n");
                continue;
            }
            await TunnelAsync(client, host, port, _ => AnswerAsync(client, "200 Connection established", contentLength: false));
            return;
        }
    }

    protected override async Task<Stream> OpenAsync(TcpClient client)
    {
        if (TlsCertificate is null)
        {
            return client.GetStream();
        }
        var tls = new SslStream(client.GetStream());
        try
        {
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = TlsCertificate }, Stopping);
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }
        Interlocked.Increment(ref _tlsHandshakes);
        return tls;
    }

    // host:port, the host of an IPv6 address in brackets.
    private static bool TryParseTarget(string target, out string host, out int port)
    {
        var separator = target.LastIndexOf(':');
        host = separator > 0 ? target[..separator].Trim('[', ']') : "";
        port = 0;
        return separator > 0 && int.TryParse(target[(separator + 1)..], System.Globalization.CultureInfo.InvariantCulture, out port);
    }

    private static bool IsBasicAuthorization(string headerLine, string user, string password)
    {
        const string Name = "Proxy-Authorization:";
        return headerLine.StartsWith(Name, StringComparison.OrdinalIgnoreCase)
            && headerLine[Name.Length..].Trim() == "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
    }

    // Byte by byte up to the blank line, so nothing the client sends after the header (its TLS hello) is swallowed.
    private async Task<string?> ReadHeaderAsync(Stream stream)
    {
        var header = new List<byte>();
        var one = new byte[1];
        while (header.Count < MaxHeaderBytes)
        {
            if (await stream.ReadAsync(one, Stopping) == 0)
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
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\n{headers}{(contentLength ? "Content-Length: 0\r\n" : "")}\r\n"), Stopping);
}
