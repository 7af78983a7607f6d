using System.Net;
using System.Net.Sockets;
using System.Text;
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
    private const string Socks5 = "socks5";

    // RFC 1929 carries the user and the password in at most 255 bytes each.
    private const int MaxSocks5CredentialBytes = 255;

    // .NET's SocksException (internal, an IOException without an error code) tells its failures apart only by message:
    // these are its resource texts, which the published executables keep (UseSystemResourceKeys false), compared whole.
    private const string SocksAuthenticationFailed = "Failed to authenticate with the SOCKS server.";
    private const string SocksNoAcceptableMethod = "SOCKS server did not return a suitable authentication method.";
    private const string SocksAuthenticationDemanded = "SOCKS server requested username & password authentication.";

    private static readonly Dictionary<string, int> DefaultPorts = new(StringComparer.Ordinal)
    {
        ["http"] = 80,
        ["https"] = 443,
        [Socks5] = 1080,
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
        var credentials = UserInfoCredentials(uri.UserInfo);
        if (scheme == Socks5 && credentials is not null)
        {
            CheckSocks5Credentials(credentials);
        }
        return new KubeProxy(address, credentials, origin);
    }

    // What RFC 1929 can carry and Go's SOCKS5 client sends: it refuses an empty user name ("invalid username/password")
    // rather than authenticate with one, where .NET would send it.
    private static void CheckSocks5Credentials(NetworkCredential credentials)
    {
        if (credentials.UserName.Length == 0)
        {
            throw new FormatException("has user-info with an empty user name, which SOCKS5 cannot authenticate (RFC 1929) and client-go refuses to send: "
                + "put the user before the ':' (percent-encoded), or leave user-info out");
        }
        if (Encoding.UTF8.GetByteCount(credentials.UserName) > MaxSocks5CredentialBytes || Encoding.UTF8.GetByteCount(credentials.Password) > MaxSocks5CredentialBytes)
        {
            throw new FormatException($"has a user or password longer than the {MaxSocks5CredentialBytes} bytes SOCKS5 carries (RFC 1929)");
        }
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
    /// transport failures (no HTTP status from the API server) are passed here. Credentials the proxy wants or refused
    /// (an http(s) proxy's 407, a SOCKS5 proxy's authentication) give a <see cref="ProxyCredentialsException"/>, so
    /// <see cref="KubeFailures"/> can tell a kubeconfig to fix from a proxy that is in trouble.
    /// </summary>
    public HttpRequestException DescribeFailure(HttpRequestMessage request, HttpRequestException e)
    {
        if (e.HttpRequestError == HttpRequestError.ProxyTunnelError && CredentialsProblem(e) is { } problem)
        {
            return new ProxyCredentialsException($"{Through(request)}: {problem}", e, Address.Scheme == Socks5 ? null : HttpStatusCode.ProxyAuthenticationRequired);
        }
        var reason = e.HttpRequestError switch
        {
            HttpRequestError.ConnectionError => $"cannot connect to the proxy ({e.Message}); is it running and reachable from this node?",
            HttpRequestError.NameResolutionError => $"cannot resolve the proxy's host name ({e.Message})",
            // A SOCKS5 failure's message is only "An error occurred while establishing a connection to the proxy tunnel.";
            // the reason (e.g. the reply code) is its inner exception's.
            HttpRequestError.ProxyTunnelError => $"the proxy did not open a tunnel to {request.RequestUri?.Authority} ({(e.InnerException ?? e).Message})",
            HttpRequestError.SecureConnectionError when Address.Scheme == Uri.UriSchemeHttps =>
                $"TLS failed with the proxy or, through its tunnel, with the API server ({e.InnerException?.Message ?? e.Message}); "
                + "both certificates are verified with the cluster's certificate-authority (or insecure-skip-tls-verify)",
            _ => e.Message,
        };
        return new HttpRequestException(e.HttpRequestError, $"{Through(request)}: {reason}", e);
    }

    // What is wrong with the credentials when the tunnel failed for them; null when it failed for something else.
    private string? CredentialsProblem(HttpRequestException e)
    {
        if (Address.Scheme != Socks5)
        {
            return !ProxyAuthenticationStatus().IsMatch(e.Message) ? null
                : Credentials is null
                    ? "the proxy asks for credentials (407 Proxy Authentication Required) and the proxy-url has none; add them as user:password@ (percent-encoded)"
                    : "the proxy refused the credentials of the proxy-url (407 Proxy Authentication Required); fix its user and password (percent-encoded)";
        }
        return (e.InnerException as IOException)?.Message switch
        {
            SocksAuthenticationFailed =>
                "the proxy refused the credentials of the proxy-url (SOCKS5 username/password authentication failed); fix its user and password (percent-encoded)",
            SocksNoAcceptableMethod or SocksAuthenticationDemanded when Credentials is null =>
                "the proxy asks for credentials (SOCKS5 username/password) and the proxy-url has none; add them as user:password@ (percent-encoded)",
            SocksNoAcceptableMethod =>
                "the proxy accepts neither SOCKS5 authentication method offered (none, username/password); ask its operator how to authenticate",
            _ => null,
        };
    }

    /// <summary>
    /// Whether a request failed because the handler's ConnectTimeout cut a SOCKS5 handshake: SocketsHttpHandler closes
    /// the connection under it, so the timeout surfaces as a tunnel failure of an aborted read or write (of a disposed
    /// socket) rather than as the cancellation it is with an http(s) proxy. Which error the cut read reports depends on where
    /// the handshake was (an end of stream or a reset under load), so a tunnel failure that came once the connect timeout had
    /// elapsed counts as cut by it too.
    /// </summary>
    public bool IsSocksHandshakeCutByTimeout(HttpRequestException e, bool connectTimeoutElapsed)
    {
        if (Address.Scheme != Socks5 || e.HttpRequestError != HttpRequestError.ProxyTunnelError)
        {
            return false;
        }
        if (connectTimeoutElapsed)
        {
            return true;
        }
        for (var cause = e.InnerException; cause is not null; cause = cause.InnerException)
        {
            if (cause is ObjectDisposedException or SocketException { SocketErrorCode: SocketError.OperationAborted })
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// A request whose connection through the proxy timed out: the handler's ConnectTimeout covers the connection to the
    /// proxy, its TLS handshake or SOCKS5 negotiation, the tunnel and the API server's handshake. Still a cancellation, as
    /// HttpClient's own timeouts are.
    /// </summary>
    public TaskCanceledException DescribeTimeout(HttpRequestMessage request, Exception e) => new(
        $"{Through(request)}: timed out connecting through the proxy (no connection or tunnel within the connect timeout); "
        + "is the proxy running and reachable from this node (not behind a firewall that drops the packets), and does it open tunnels?", e);

    private string Through(HttpRequestMessage request) => $"{request.Method} {request.RequestUri?.AbsolutePath} through proxy {Display} ({Origin})";

    // .NET's message for a CONNECT answered with another status than 200 ends with that status ("The proxy tunnel request
    // to proxy 'http://host:port/' failed with status code '407'."): the proxy's own port, which may be 407, comes earlier.
    [GeneratedRegex(@"\b407\D*\z", RegexOptions.CultureInvariant)]
    private static partial Regex ProxyAuthenticationStatus();
}

/// <summary>
/// A request the kubeconfig's proxy turned away for its credentials (missing, refused, or of a method Plexus cannot
/// offer): a kubeconfig to fix, which retrying cannot help. An http(s) proxy's keeps the 407 status.
/// </summary>
internal sealed class ProxyCredentialsException(string message, HttpRequestException failure, HttpStatusCode? status)
    : HttpRequestException(failure.HttpRequestError, message, failure, status);
