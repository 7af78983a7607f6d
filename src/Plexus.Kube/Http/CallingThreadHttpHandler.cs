using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Plexus.Http;
using Plexus.Linux.Sockets;

namespace Plexus.Kube.Http;

/// <summary>
/// HTTP/1.1 to the API server entirely on the calling thread: a blocking connect with a timeout,
/// TLS handshake, one write per request and blocking reads, over one kept-alive connection; each
/// request (handshake included) must be answered within the I/O timeout.
/// SocketsHttpHandler always opens connections on the thread pool, any System.Net.Sockets socket
/// starts the epoll engine thread, and HttpClient's timeout starts the timer thread: a one-shot
/// CNI process needs none of them for its few requests. Not for watches (whole bodies only) and
/// not through proxies (<see cref="KubeRawApi"/> keeps SocketsHttpHandler for those). One request
/// at a time: it is the transport of one thread.
/// </summary>
internal sealed class CallingThreadHttpHandler(SslClientAuthenticationOptions? tls, TimeSpan connectTimeout, TimeSpan ioTimeout) : HttpMessageHandler
{
    private const int MaxBodyBytes = 64 << 20;
    private Connection? _connection;

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var uri = request.RequestUri ?? throw new HttpRequestException("the request has no URI");
        try
        {
            var wire = Wire(request, uri, cancellationToken);
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
        // Whatever went wrong, the connection may be mid-answer: it is never used again.
        catch (OperationCanceledException)
        {
            Drop();
            throw;
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested)
        {
            Drop();
            throw new OperationCanceledException("the API request was cancelled", e, cancellationToken);
        }
        catch (Exception e) when (e is IOException or SocketException or AuthenticationException or InvalidDataException)
        {
            Drop();
            throw new HttpRequestException($"{request.Method} {uri.AbsolutePath} on {uri.Authority}: {Describe(e)}", e);
        }
        catch
        {
            Drop();
            throw;
        }
    }

    /// <summary>
    /// Opens the connection the next request will use (TCP and the TLS handshake), so that cost can overlap other
    /// work; never while a request is under way. A failure is dropped: the request connects again and reports it.
    /// </summary>
    public void ConnectAhead(Uri server, CancellationToken cancellationToken)
    {
        if (_connection is not null)
        {
            return;
        }
        try
        {
            // Counted as kept alive: should the server close it before the first request, that request gets a new one.
            _connection = Connection.Open(server, tls, connectTimeout, ioTimeout, cancellationToken);
            _connection.Reused = true;
        }
        catch (Exception e) when (e is IOException or SocketException or AuthenticationException or InvalidDataException or OperationCanceledException)
        {
        }
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Task.FromResult(Send(request, cancellationToken));

    // Null when the connection ended before any byte of an answer (a reused connection the server had closed).
    private HttpResponseMessage? Exchange(Connection connection, HttpRequestMessage request, byte[] wire, CancellationToken cancellationToken)
    {
        connection.Socket.Cancellation = cancellationToken;
        connection.Socket.Deadline = BlockingSocket.DeadlineAfter(ioTimeout);
        var reader = new Http11ResponseReader(connection.Stream, MaxBodyBytes);
        try
        {
            connection.Stream.Write(wire);
            var answer = reader.Read(request.Method.Method);
            if (!answer.KeepAlive)
            {
                Drop();
            }
            return ToMessage(answer, request);
        }
        // Not after a timeout: a server too slow to answer would get the request a second time.
        catch (IOException e) when (reader.BytesReceived == 0 && connection.Reused && e is not SocketCallException { IsTimeout: true })
        {
            return null;
        }
        finally
        {
            connection.Reused = true;
        }
    }

    private static byte[] Wire(HttpRequestMessage request, Uri uri, CancellationToken cancellationToken)
    {
        var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
            .Select(header => KeyValuePair.Create(header.Key, string.Join(", ", header.Value)));
        byte[]? body = null;
        if (request.Content is { } content)
        {
            using var buffer = new MemoryStream();
            content.CopyTo(buffer, null, cancellationToken);
            body = buffer.ToArray();
        }
        return Http11Request.Format(request.Method.Method, uri.PathAndQuery,
            uri.IsDefaultPort ? uri.IdnHost : $"{uri.IdnHost}:{uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}", headers, body);
    }

    private static HttpResponseMessage ToMessage(Http11Response answer, HttpRequestMessage request)
    {
        var message = new HttpResponseMessage((HttpStatusCode)answer.StatusCode)
        {
            Version = answer.MinorVersion == 1 ? HttpVersion.Version11 : HttpVersion.Version10,
            ReasonPhrase = answer.ReasonPhrase,
            RequestMessage = request,
            Content = new ByteArrayContent(answer.Body),
        };
        foreach (var (name, value) in answer.Headers)
        {
            if (!message.Headers.TryAddWithoutValidation(name, value))
            {
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }
        return message;
    }

    // The published executables keep only resource keys as messages (e.g. "net_ssl_io_cert_chain_validation, PartialChain"),
    // so a failed handshake also says what to check.
    private static string Describe(Exception e) => e is AuthenticationException
        ? $"TLS handshake failed ({e.Message}{(e.InnerException is { } cause ? " " + cause.Message : "")}): check that the server's certificate "
          + "chains to the kubeconfig's certificate-authority (or, when it names none, to the node's CA bundle) and names the server, "
          + "and that the client certificate, if any, is accepted"
        : e.Message;

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
            var socket = new BlockingSocketStream(ConnectAny(uri.IdnHost, uri.Port, connectTimeout, cancellationToken))
            {
                Cancellation = cancellationToken,
                Deadline = BlockingSocket.DeadlineAfter(ioTimeout),
            };
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
