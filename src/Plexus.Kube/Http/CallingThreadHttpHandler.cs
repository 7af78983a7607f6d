using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Plexus.Linux.Sockets;
using System.Security.Authentication;

namespace Plexus.Kube.Http;

/// <summary>
/// HTTP/1.1 to the API server entirely on the calling thread: a blocking connect with a timeout,
/// TLS handshake, one write per request and blocking reads, over one kept-alive connection.
/// SocketsHttpHandler always opens connections on the thread pool, any System.Net.Sockets socket
/// starts the epoll engine thread, and HttpClient's timeout starts the timer thread: a one-shot
/// CNI process needs none of them for its few requests. Not for watches (whole bodies only) and
/// not through proxies (<see cref="KubeRawApi"/> keeps SocketsHttpHandler for those).
/// </summary>
internal sealed class CallingThreadHttpHandler(SslClientAuthenticationOptions? tls, TimeSpan connectTimeout, TimeSpan ioTimeout) : HttpMessageHandler
{
    private Connection? _connection;

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var uri = request.RequestUri ?? throw new HttpRequestException("the request has no URI");
        var wire = Http11Request.Format(request, request.Content is { } content ? BodyOf(content, cancellationToken) : null);
        try
        {
            if (_connection is { } reused)
            {
                if (Exchange(reused, request, wire, cancellationToken) is { } answer)
                {
                    return answer;
                }
                Drop(); // closed by the server while idle, before this request reached it: once more on a new connection
            }
            _connection = Connection.Open(uri, tls, connectTimeout, ioTimeout, cancellationToken);
            return Exchange(_connection, request, wire, cancellationToken)
                ?? throw new HttpRequestException($"the API server at {uri.Authority} closed the connection without answering");
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
        {
            Drop();
            throw new OperationCanceledException("the API request was cancelled", e, cancellationToken);
        }
        catch (Exception e) when (e is IOException or SocketException or AuthenticationException)
        {
            Drop();
            throw new HttpRequestException($"{request.Method} {uri.AbsolutePath} on {uri.Authority}: {Describe(e)}", e);
        }
        catch (HttpRequestException)
        {
            Drop();
            throw;
        }
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Task.FromResult(Send(request, cancellationToken));

    // Null when the connection ended before any byte of an answer (a reused connection the server had closed).
    private HttpResponseMessage? Exchange(Connection connection, HttpRequestMessage request, byte[] wire, CancellationToken cancellationToken)
    {
        connection.Socket.Cancellation = cancellationToken;
        var reader = new Http11ResponseReader(connection.Stream);
        try
        {
            connection.Stream.Write(wire);
            var (response, keepAlive) = reader.Read(request);
            if (!keepAlive)
            {
                Drop();
            }
            return response;
        }
        catch (IOException) when (reader.BytesReceived == 0 && connection.Reused)
        {
            return null;
        }
        finally
        {
            connection.Reused = true;
        }
    }

    private static byte[] BodyOf(HttpContent content, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        content.CopyTo(body, null, cancellationToken);
        return body.ToArray();
    }

    private static string Describe(Exception e) =>
        e is AuthenticationException && e.InnerException is { } cause ? $"{e.Message} {cause.Message}" : e.Message;

    private void Drop()
    {
        _connection?.Dispose();
        _connection = null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Drop();
        }
        base.Dispose(disposing);
    }

    private sealed class Connection(BlockingSocketStream socket, Stream stream) : IDisposable
    {
        public BlockingSocketStream Socket { get; } = socket;
        public Stream Stream { get; } = stream;
        public bool Reused { get; set; }

        public static Connection Open(Uri uri, SslClientAuthenticationOptions? tls, TimeSpan connectTimeout, TimeSpan ioTimeout, CancellationToken cancellationToken)
        {
            var socket = new BlockingSocketStream(ConnectAny(uri.IdnHost, uri.Port, connectTimeout, cancellationToken), ioTimeout) { Cancellation = cancellationToken };
            try
            {
                if (uri.Scheme != Uri.UriSchemeHttps)
                {
                    return new Connection(socket, socket);
                }
                var secure = new SslStream(socket, leaveInnerStreamOpen: false);
                var options = tls ?? new SslClientAuthenticationOptions();
                secure.AuthenticateAsClient(string.IsNullOrEmpty(options.TargetHost) ? WithTargetHost(options, uri.IdnHost) : options);
                return new Connection(socket, secure);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        private static SslClientAuthenticationOptions WithTargetHost(SslClientAuthenticationOptions options, string targetHost) => new()
        {
            TargetHost = targetHost,
            ClientCertificates = options.ClientCertificates,
            CertificateChainPolicy = options.CertificateChainPolicy,
            RemoteCertificateValidationCallback = options.RemoteCertificateValidationCallback,
            EnabledSslProtocols = options.EnabledSslProtocols,
            CertificateRevocationCheckMode = options.CertificateRevocationCheckMode,
        };

        private static BlockingSocket ConnectAny(string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : Dns.GetHostAddresses(host);
            SocketCallException? last = null;
            foreach (var address in addresses)
            {
                try
                {
                    return BlockingSocket.ConnectTcp(new IPEndPoint(address, port), timeout, cancellationToken);
                }
                catch (SocketCallException e)
                {
                    last = e;
                }
            }
            throw last ?? new SocketCallException(0, $"{host} has no address");
        }

        public void Dispose()
        {
            Stream.Dispose();
            Socket.Dispose();
        }
    }
}
