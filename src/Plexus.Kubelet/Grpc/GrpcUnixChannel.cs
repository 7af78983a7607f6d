using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Plexus.Cni;

namespace Plexus.Kubelet.Grpc;

/// <summary>
/// Unary gRPC calls over HTTP/2 cleartext on a unix socket, the way the kubelet serves its local
/// APIs. Cannot connect or no answer in time: code 11 (the kubelet may be restarting); an answer
/// that is not gRPC: code 5. A gRPC error status is a value for the caller to judge.
/// </summary>
internal sealed class GrpcUnixChannel(string socketPath, string service, TimeSpan timeout, TimeProvider time) : IDisposable
{
    private static readonly MediaTypeHeaderValue GrpcContentType = new("application/grpc");
    // Created on first call, once even when the daemon calls concurrently; nothing happens at construction.
    private readonly Lazy<HttpClient> http = new(() => CreateClient(socketPath));

    /// <summary>Calls <paramref name="method"/> (<c>/package.Service/Method</c>); the status and, when OK, the one response message.</summary>
    public async Task<(GrpcStatus Status, byte[] Message)> CallAsync(string method, byte[] request, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        using var message = new HttpRequestMessage(HttpMethod.Post, "http://localhost" + method)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(GrpcFraming.Frame(request)) { Headers = { ContentType = GrpcContentType } },
        };
        message.Headers.TryAddWithoutValidation("te", "trailers");
        HttpResponseMessage? response = null;
        try
        {
            response = await http.Value.SendAsync(message, linked.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
            return (StatusOf(method, response), Payload(method, response, body));
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw Unreachable($"no answer to {method} within {timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e)
        {
            throw Unreachable(Reason(e));
        }
        finally
        {
            response?.Dispose();
        }
    }

    public void Dispose()
    {
        if (http.IsValueCreated)
        {
            http.Value.Dispose();
        }
    }

    private GrpcStatus StatusOf(string method, HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw NotGrpc(method, $"HTTP status {(int)response.StatusCode}");
        }
        // An error without messages comes as "trailers-only": the status is in the headers.
        var status = Header(response.Headers, "grpc-status") is { } inHeaders
            ? GrpcStatus.Parse(inHeaders, Header(response.Headers, "grpc-message"))
            : GrpcStatus.Parse(Header(response.TrailingHeaders, "grpc-status"), Header(response.TrailingHeaders, "grpc-message"));
        return status ?? throw NotGrpc(method, "no valid grpc-status header or trailer");
    }

    private byte[] Payload(string method, HttpResponseMessage response, byte[] body)
    {
        if (response.Content.Headers.ContentType?.MediaType is not { } type || !type.StartsWith("application/grpc", StringComparison.Ordinal))
        {
            throw NotGrpc(method, $"content-type \"{response.Content.Headers.ContentType}\"");
        }
        IReadOnlyList<byte[]> messages;
        try
        {
            messages = GrpcFraming.Unframe(body);
        }
        catch (InvalidDataException e)
        {
            throw NotGrpc(method, e.Message);
        }
        return messages.Count switch
        {
            0 => [],
            1 => messages[0],
            _ => throw NotGrpc(method, $"{messages.Count} messages for a unary call"),
        };
    }

    private static HttpClient CreateClient(string socketPath) => new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        ConnectCallback = async (_, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
        MaxResponseContentBufferSize = GrpcFraming.PrefixBytes + GrpcFraming.MaxMessageBytes,
    };

    private static string Reason(HttpRequestException e) => e.InnerException switch
    {
        SocketException { SocketErrorCode: SocketError.AddressNotAvailable or SocketError.AddressFamilyNotSupported } s => $"the socket does not exist ({s.Message})",
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } => "nothing listens on the socket (connection refused)",
        { } inner => inner.Message,
        null => e.Message,
    };

    private static string? Header(HttpHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private CniException Unreachable(string reason) => new(CniErrorCode.TryAgainLater,
        $"cannot reach {service} at {socketPath}: {reason}",
        "check that the kubelet runs and that its pod-resources socket is mounted into where plexus runs (hostPath /var/lib/kubelet/pod-resources)");

    private CniException NotGrpc(string method, string what) => CniException.Io(
        $"{service} at {socketPath} answered {method} with a malformed response: {what}",
        "the socket may belong to something other than the kubelet");
}
