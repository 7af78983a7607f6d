using System.Net;

namespace Plexus.Kube;

/// <summary>
/// A kubeconfig cluster's <c>proxy-url</c>, which carries every request to that cluster as client-go's
/// <c>http.ProxyURL</c> does: it wins over HTTPS_PROXY/NO_PROXY, so no destination bypasses it, not even loopback.
/// The schemes are client-go's (http, https, socks5); a port left out is Go's default for the scheme. User-info
/// becomes the proxy's credentials and is kept out of <see cref="Address"/>, so no message (Plexus's or .NET's, which
/// quotes the proxy's URI) can carry it; <see cref="Display"/> is the form errors print.
/// </summary>
internal sealed class KubeProxy : IWebProxy
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
    /// transport failures (no HTTP status from the API server) are passed here.
    /// </summary>
    public HttpRequestException DescribeFailure(HttpRequestMessage request, HttpRequestException e)
    {
        var reason = e.HttpRequestError switch
        {
            HttpRequestError.ConnectionError => $"cannot connect to the proxy ({e.Message}); is it running and reachable from this node?",
            HttpRequestError.NameResolutionError => $"cannot resolve the proxy's host name ({e.Message})",
            HttpRequestError.ProxyTunnelError => $"the proxy did not open a tunnel to {request.RequestUri?.Authority} ({e.Message})",
            _ => e.Message,
        };
        return new HttpRequestException(e.HttpRequestError,
            $"{request.Method} {request.RequestUri?.AbsolutePath} through proxy {Display} ({Origin}): {reason}", e);
    }
}
