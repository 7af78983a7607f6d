using System.Net;
using System.Text.RegularExpressions;

namespace Plexus.Kube;

/// <summary>
/// A kubeconfig cluster's <c>proxy-url</c>, which carries every request to that cluster as client-go's
/// <c>http.ProxyURL</c> does: it wins over HTTPS_PROXY/NO_PROXY, so no destination bypasses it, not even loopback.
/// The schemes are client-go's (http, https, socks5); a port left out is Go's default for the scheme. User-info
/// becomes the proxy's credentials and is kept out of <see cref="Address"/>, so no message (Plexus's or .NET's, which
/// quotes the proxy's URI) can carry it; <see cref="Display"/> is the form errors print.
/// </summary>
internal sealed partial class KubeProxy : IWebProxy
{
    private static readonly Dictionary<string, int> DefaultPorts = new(StringComparer.Ordinal)
    {
        ["http"] = 80,
        ["https"] = 443,
        ["socks5"] = 1080,
    };

    private KubeProxy(Uri address, ICredentials? credentials, string origin)
    {
        Address = address;
        Credentials = credentials;
        Origin = origin;
        Display = $"{address.Scheme}://{(credentials is null ? "" : "***@")}{address.Host}:{address.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    /// <summary>Scheme, host and port, without user-info or path.</summary>
    public Uri Address { get; }

    /// <summary>The proxy as errors print it: scheme, host and port, with <c>***@</c> standing for user-info.</summary>
    public string Display { get; }

    /// <summary>Where the proxy is configured, for errors: the field, the cluster and the kubeconfig.</summary>
    public string Origin { get; }

    public ICredentials? Credentials { get; set; }

    public Uri GetProxy(Uri destination) => Address;

    public bool IsBypassed(Uri host) => false;

    /// <param name="origin">Where <paramref name="proxyUrl"/> comes from, e.g. <c>proxy-url of cluster "c" in kubeconfig /k</c>.</param>
    /// <exception cref="FormatException">
    /// What is wrong with the URL, never quoting it: user-info (a password) may be all that is wrong.
    /// </exception>
    public static KubeProxy Parse(string proxyUrl, string origin)
    {
        // Only text before "://" is a scheme that may be quoted; without it "user:password@host" would look like one.
        var separator = proxyUrl.IndexOf("://", StringComparison.Ordinal);
        if (separator <= 0)
        {
            throw new FormatException("has no scheme: it must start with http://, https:// or socks5://");
        }
        var scheme = proxyUrl[..separator].ToLowerInvariant();
        if (!DefaultPorts.TryGetValue(scheme, out var defaultPort))
        {
            throw new FormatException(IsPrintableScheme(scheme)
                ? $"has the unsupported scheme \"{scheme}\": it must be http, https or socks5, as client-go accepts"
                : "has an unsupported scheme: it must be http, https or socks5, as client-go accepts");
        }
        if (!Uri.TryCreate(proxyUrl, UriKind.Absolute, out var uri))
        {
            throw new FormatException("is not a valid URL (a host name or IP address, an optional :port; user-info must be percent-encoded)");
        }
        if (string.IsNullOrEmpty(uri.Host))
        {
            throw new FormatException("names no proxy host");
        }
        var address = new UriBuilder(scheme, uri.Host, uri.Port > 0 ? uri.Port : defaultPort).Uri;
        return new KubeProxy(address, UserInfoCredentials(uri.UserInfo), origin);
    }

    private static bool IsPrintableScheme(string scheme) =>
        scheme.Length <= 32 && scheme.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.');

    // "user:password" (each percent-encoded) as Go's url.UserPassword reads it; a user without a password is allowed.
    private static NetworkCredential? UserInfoCredentials(string userInfo)
    {
        if (userInfo.Length == 0)
        {
            return null;
        }
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        return colon < 0
            ? new NetworkCredential(Uri.UnescapeDataString(userInfo), "")
            : new NetworkCredential(Uri.UnescapeDataString(userInfo[..colon]), Uri.UnescapeDataString(userInfo[(colon + 1)..]));
    }

    /// <summary>
    /// A request that failed on the way through the proxy, with the proxy and where it is configured named; only
    /// transport failures (no HTTP status from the API server) are passed here. A 407 keeps its status on the result,
    /// so <see cref="KubeFailures"/> can tell refused credentials (a config error) from a proxy that is in trouble.
    /// </summary>
    public HttpRequestException DescribeFailure(HttpRequestMessage request, HttpRequestException e)
    {
        var credentialsRefused = e.HttpRequestError == HttpRequestError.ProxyTunnelError && ProxyAuthenticationStatus().IsMatch(e.Message);
        var reason = e.HttpRequestError switch
        {
            HttpRequestError.ConnectionError => $"cannot connect to the proxy ({e.Message}); is it running and reachable from this node?",
            HttpRequestError.NameResolutionError => $"cannot resolve the proxy's host name ({e.Message})",
            HttpRequestError.ProxyTunnelError when credentialsRefused && Credentials is null =>
                "the proxy asks for credentials (407 Proxy Authentication Required) and the proxy-url has none; add them as user:password@ (percent-encoded)",
            HttpRequestError.ProxyTunnelError when credentialsRefused =>
                "the proxy refused the credentials of the proxy-url (407 Proxy Authentication Required); fix its user and password (percent-encoded)",
            HttpRequestError.ProxyTunnelError => $"the proxy did not open a tunnel to {request.RequestUri?.Authority} ({e.Message})",
            HttpRequestError.SecureConnectionError when Address.Scheme == Uri.UriSchemeHttps =>
                $"TLS failed with the proxy or, through its tunnel, with the API server ({e.InnerException?.Message ?? e.Message}); "
                + "both certificates are verified with the cluster's certificate-authority (or insecure-skip-tls-verify)",
            _ => e.Message,
        };
        return new HttpRequestException(e.HttpRequestError, $"{Through(request)}: {reason}", e,
            credentialsRefused ? HttpStatusCode.ProxyAuthenticationRequired : null);
    }

    /// <summary>
    /// A request whose connection through the proxy timed out: the handler's ConnectTimeout covers the connection to the
    /// proxy, its TLS handshake, the tunnel and the API server's handshake. Still a cancellation, as HttpClient's own
    /// timeouts are.
    /// </summary>
    public TaskCanceledException DescribeTimeout(HttpRequestMessage request, OperationCanceledException e) => new(
        $"{Through(request)}: timed out connecting through the proxy (no connection or tunnel within the connect timeout); "
        + "is the proxy running and reachable from this node (not behind a firewall that drops the packets), and does it open tunnels?", e);

    private string Through(HttpRequestMessage request) => $"{request.Method} {request.RequestUri?.AbsolutePath} through proxy {Display} ({Origin})";

    // .NET's message for a CONNECT answered with another status than 200 ends with that status ("The proxy tunnel request
    // to proxy 'http://host:port/' failed with status code '407'."): the proxy's own port, which may be 407, comes earlier.
    [GeneratedRegex(@"\b407\D*\z", RegexOptions.CultureInvariant)]
    private static partial Regex ProxyAuthenticationStatus();
}
