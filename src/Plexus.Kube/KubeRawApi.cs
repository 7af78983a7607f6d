using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using k8s;
using k8s.Authentication;
using Plexus.Cni;
using Plexus.Kube.Http;
using Plexus.Linux.Sockets;

namespace Plexus.Kube;

/// <summary>
/// Authenticated requests to the API server with the official client's kubeconfig loading,
/// credentials (token, token file, exec plugin, client certificates) and CA validation, and bodies
/// in Plexus's own narrow JSON types. The client's <see cref="Kubernetes"/> class is not
/// constructed: it roots its source-generated context of every Kubernetes model into the
/// NativeAOT image (more than half of it), which every CNI invocation would pay for at start-up.
/// Also serves what the AOT client lacks (watch streams, used by plexusd's caches).
/// </summary>
public sealed class KubeRawApi : IDisposable
{
    private readonly HttpClient _http;
    private readonly CallingThreadHttpHandler? _callingThread;
    private readonly ServiceClientCredentials? _credentials;
    private readonly Uri _base;
    private readonly bool _sendOnCallingThread;
    private readonly IKubeRequestObserver? _observer;

    private KubeRawApi(KubeClientSettings settings, bool sendOnCallingThread, IKubeRequestObserver? observer, TimeSpan connectTimeout)
    {
        var config = settings.Client;
        _sendOnCallingThread = sendOnCallingThread;
        _observer = observer;
        _base = new Uri(config.Host.TrimEnd('/') + "/");
        var tls = TlsOptions(config);
        _callingThread = sendOnCallingThread && GoesDirect(settings.Proxy ?? HttpClient.DefaultProxy, _base)
            ? new CallingThreadHttpHandler(tls, connectTimeout, config.HttpClientTimeout)
            : null;
        _http = _callingThread is not null
            ? new HttpClient(_callingThread) { Timeout = Timeout.InfiniteTimeSpan }
            : new HttpClient(PooledHandler(tls, settings.Proxy, connectTimeout)) { Timeout = config.HttpClientTimeout };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("plexus", "1"));
        _credentials = Kubernetes.CreateCredentials(config);
    }

    // Without a kubeconfig proxy the handler's default, the HTTPS_PROXY/NO_PROXY environment, applies.
    // An https:// proxy is verified with the same TLS options as the API server (SocketsHttpHandler clones them, with the
    // proxy's host as the name to check), as client-go's addTLS uses the cluster's CA, insecure-skip-tls-verify and
    // client certificate for it.
    private static HttpMessageHandler PooledHandler(SslClientAuthenticationOptions tls, KubeProxy? proxy, TimeSpan connectTimeout)
    {
        var sockets = new SocketsHttpHandler { ConnectTimeout = connectTimeout, SslOptions = tls, ConnectCallback = ConnectKeptAliveAsync };
        if (proxy is null)
        {
            return sockets;
        }
        sockets.Proxy = proxy;
        return new ProxyFailureHandler(proxy, connectTimeout, sockets);
    }

    // SocketsHttpHandler's own connect (a dual-mode socket, Nagle off) with TCP keepalive on, as the calling-thread
    // transport's connections have it: for a proxy's connection too, the handler connects to the proxy through it.
    private static async ValueTask<Stream> ConnectKeptAliveAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            TcpKeepAlive.Enable(socket.SafeHandle);
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>When the exec credential plugin's credential stops working (a holder builds a new client then); null: no stated end.</summary>
    public DateTimeOffset? CredentialExpiry { get; private init; }

    /// <summary>
    /// Opens the connection to the API server ahead of the first request, when requests go on the calling thread
    /// (a one-shot plugin); the pooled transport connects on demand. Never while a request is under way.
    /// </summary>
    public void ConnectAhead(CancellationToken cancellationToken) => _callingThread?.ConnectAhead(_base, cancellationToken);

    /// <summary>
    /// Whether requests to <paramref name="server"/> skip the proxy (none configured, or NO_PROXY names the server; never
    /// with a kubeconfig proxy-url): only then may the calling-thread handler carry them; through a proxy
    /// SocketsHttpHandler speaks CONNECT (or SOCKS).
    /// </summary>
    internal static bool GoesDirect(IWebProxy proxy, Uri server) => proxy.GetProxy(server) is null || proxy.IsBypassed(server);

    // Both handlers turn Nagle off, so small request bodies never wait for a delayed ACK.
    private static SslClientAuthenticationOptions TlsOptions(KubernetesClientConfiguration config)
    {
        var tls = new SslClientAuthenticationOptions();
        if (config.SkipTlsVerify)
        {
            tls.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }
        else if (config.SslCaCerts is { Count: > 0 } authorities)
        {
            // Trust exactly the cluster's CA, as kubectl does; the host name is still checked.
            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
                DisableCertificateDownloads = true,
            };
            policy.CustomTrustStore.AddRange(authorities);
            tls.CertificateChainPolicy = policy;
            SystemTrustStore.SkipLoading();
        }
        else
        {
            SystemTrustStore.UseNodeBundle();
        }
        if (!string.IsNullOrEmpty(config.TlsServerName))
        {
            tls.TargetHost = config.TlsServerName;
        }
        if (ClientCertificate(config) is { } clientCertificate)
        {
            tls.ClientCertificates = new X509CertificateCollection { clientCertificate };
        }
        return tls;
    }

    // kubeconfig's client-certificate(-data) and client-key(-data): PEM, inline as base64 or in files.
    private static X509Certificate2? ClientCertificate(KubernetesClientConfiguration config)
    {
        var certificate = Pem(config.ClientCertificateData, config.ClientCertificateFilePath);
        var key = Pem(config.ClientCertificateKeyData, config.ClientKeyFilePath);
        return certificate is null || key is null ? null : X509Certificate2.CreateFromPem(certificate, key);
    }

    private static string? Pem(string? base64, string? path) =>
        !string.IsNullOrEmpty(base64) ? System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(base64))
        : !string.IsNullOrEmpty(path) ? File.ReadAllText(path)
        : null;

    /// <summary>Same sources as <see cref="KubeConnection.TryCreate"/>; null when there is no API server to talk to.</summary>
    public static KubeRawApi? TryCreate(string? kubeconfigPath, Func<string, string?> getEnvironmentVariable,
        string serviceAccountDir = KubeConnection.DefaultServiceAccountDir)
    {
        var settings = KubeConnection.Configure(kubeconfigPath, getEnvironmentVariable, serviceAccountDir);
        // The client's timeout covers only the response headers here (ResponseHeadersRead), so watch bodies may stream for minutes.
        return settings is null ? null : Create(settings, kubeconfigPath, sendOnCallingThread: false);
    }

    /// <param name="sendOnCallingThread">
    /// Object requests (not watches) connect, handshake and read synchronously on the caller's thread: a one-shot CNI
    /// process then needs no thread pool, socket event thread or async state machines, which cost more CPU than the
    /// requests themselves.
    /// </param>
    /// <param name="observer">Told about every object request (not the watch streams of <see cref="SendAsync(HttpRequestMessage, CancellationToken)"/>).</param>
    /// <param name="connectTimeout">For the connection, TLS handshake and proxy tunnel of each new connection; null: 10 s.</param>
    internal static KubeRawApi Create(KubeClientSettings settings, string? kubeconfigPath, bool sendOnCallingThread, IKubeRequestObserver? observer = null,
        TimeSpan? connectTimeout = null)
    {
        try
        {
            return new KubeRawApi(settings, sendOnCallingThread, observer, connectTimeout ?? DefaultConnectTimeout) { CredentialExpiry = settings.CredentialExpiry };
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or ArgumentException or FormatException or IOException or UnauthorizedAccessException)
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, $"cannot use the client certificate and key of kubeconfig {kubeconfigPath}: {e.Message}",
                "fix client-certificate(-data) and client-key(-data) in the kubeconfig Plexus uses", e);
        }
    }

    /// <summary>Sends a request with a relative URI; returns once the headers are in so watch bodies stream.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await PrepareAsync(request, cancellationToken).ConfigureAwait(false);
        return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>GETs one object and reads it with <paramref name="read"/> (a <see cref="KubeObjectReader"/> document reader).</summary>
    /// <exception cref="KubeStatusException">The API server answered with a non-success status.</exception>
    internal async Task<T> GetAsync<T>(string path, Func<byte[], T?> read, CancellationToken cancellationToken)
        where T : class
    {
        var (body, status, contentType) = await ExchangeAsync(new HttpRequestMessage(HttpMethod.Get, path), cancellationToken).ConfigureAwait(false);
        try
        {
            return read(body) ?? throw new KubeStatusException(HttpStatusCode.OK, $"GET {path} answered null");
        }
        catch (JsonException e)
        {
            // An HTML page or other text (a proxy, a load balancer, a wrong "server" URL) is not an API server's answer.
            throw new JsonException($"the answer to GET /{path.TrimStart('/')} ({(int)status} {status}, content type {contentType ?? "none"}) is not " +
                $"the JSON object an API server sends ({e.Message}); is the server of the kubeconfig (or KUBERNETES_SERVICE_HOST) the API server?", e);
        }
    }

    /// <summary>Sends a JSON body (POST, or PATCH with a patch media type) and discards the answer.</summary>
    /// <exception cref="KubeStatusException">The API server answered with a non-success status.</exception>
    internal async Task SendAsync(HttpMethod method, string path, byte[] body, string mediaType, CancellationToken cancellationToken)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        await ExchangeAsync(new HttpRequestMessage(method, path) { Content = content }, cancellationToken).ConfigureAwait(false);
    }

    // One object's request and whole answer (never a watch stream).
    private async Task<(byte[] Body, HttpStatusCode Status, string? ContentType)> ExchangeAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Labelled while the URI is still relative: the server's URL may carry a path prefix of its own (a proxy's).
        var labels = _observer is null ? default : KubeRequestLabels.Of(request.Method, request.RequestUri!.OriginalString);
        await PrepareAsync(request, cancellationToken).ConfigureAwait(false);
        using var response = _observer is null
            ? await SendWholeAsync(request, cancellationToken).ConfigureAwait(false)
            : await _observer.TimeAsync(labels, () => SendWholeAsync(request, cancellationToken), cancellationToken).ConfigureAwait(false);
        // The content is buffered by now, so this completes at once on this thread.
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode
            ? (body, response.StatusCode, response.Content.Headers.ContentType?.MediaType)
            : throw new KubeStatusException(response.StatusCode, StatusMessage(body));
    }

    private Task<HttpResponseMessage> SendWholeAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _sendOnCallingThread
            ? Task.FromResult(_http.Send(request, HttpCompletionOption.ResponseContentRead, cancellationToken))
            : _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);

    private async Task PrepareAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.RequestUri = new Uri(_base, request.RequestUri!.OriginalString.TrimStart('/'));
        if (_credentials is not null)
        {
            await _credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }

    // The API server explains a failure in a Status object's "message" (e.g. which RBAC rule is missing).
    private static string? StatusMessage(byte[] body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, KubeJsonContext.Default.KubeStatus)?.Message;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>A non-success answer from the API server, with the message of its Status object when it sent one.</summary>
internal sealed class KubeStatusException(HttpStatusCode status, string? serverMessage)
    : Exception(serverMessage is null ? $"API server answered {(int)status} {status}" : $"API server answered {(int)status} {status}: {serverMessage}")
{
    public HttpStatusCode Status { get; } = status;
}
