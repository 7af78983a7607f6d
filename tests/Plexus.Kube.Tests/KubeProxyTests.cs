using System.Net;
using System.Net.Sockets;

namespace Plexus.Kube.Tests;

public sealed class KubeProxyTests
{
    private const string Origin = "proxy-url of cluster \"c\" in kubeconfig /k";

    [Theory]
    [InlineData("http://proxy.corp:3128", "http://proxy.corp:3128")]
    [InlineData("https://proxy.corp:8443", "https://proxy.corp:8443")]
    [InlineData("socks5://proxy.corp:1081", "socks5://proxy.corp:1081")]
    // A port left out is Go's default for the scheme (net/http's canonicalAddr).
    [InlineData("http://proxy.corp", "http://proxy.corp:80")]
    [InlineData("https://proxy.corp", "https://proxy.corp:443")]
    [InlineData("socks5://proxy.corp", "socks5://proxy.corp:1080")]
    // Go's url.Parse lowercases the scheme; the path has no meaning for a proxy.
    [InlineData("HTTP://Proxy.Corp:3128/some/path?x=1", "http://proxy.corp:3128")]
    [InlineData("socks5://Proxy.Corp:1081/some/path?x=1#f", "socks5://proxy.corp:1081")]
    [InlineData("socks5://[fd00::1]", "socks5://[fd00::1]:1080")]
    [InlineData("http://[fd00::1]:3128", "http://[fd00::1]:3128")]
    public void Parse_SupportedScheme_AddressWithPort(string proxyUrl, string address)
    {
        var proxy = KubeProxy.Parse(proxyUrl, Origin);

        Assert.Equal(new Uri(address), proxy.Address);
        Assert.Equal(new Uri(address).Port, proxy.Address.Port);
        Assert.Equal("/", proxy.Address.PathAndQuery);
        Assert.Equal(address, proxy.Display);
        Assert.Equal(Origin, proxy.Origin);
        Assert.Null(proxy.Credentials);
    }

    [Fact]
    public void Parse_UserInfo_DecodedCredentialsKeptOutOfAddressAndDisplay()
    {
        var proxy = KubeProxy.Parse("http://plexus%40corp:p%40ss%3Aw%2Frd@proxy.corp:3128", Origin);

        var credential = proxy.Credentials!.GetCredential(proxy.Address, "Basic")!;
        Assert.Equal("plexus@corp", credential.UserName);
        Assert.Equal("p@ss:w/rd", credential.Password);
        Assert.Equal("", proxy.Address.UserInfo);
        Assert.Equal("http://***@proxy.corp:3128", proxy.Display);
    }

    // RFC 1929 carries each in at most 255 bytes (UTF-8, as .NET and Go send them: "ä" is two); an http(s) proxy's have no such limit.
    [Theory]
    [InlineData("socks5", 255, 'p', 255, true)]
    [InlineData("socks5", 256, 'p', 1, false)]
    [InlineData("socks5", 1, 'p', 256, false)]
    [InlineData("socks5", 1, 'ä', 128, false)]
    [InlineData("http", 1, 'p', 256, true)]
    public void Parse_Socks5CredentialsOver255Bytes_Refused(string scheme, int userLength, char passwordCharacter, int passwordLength, bool accepted)
    {
        var password = new string(passwordCharacter, passwordLength);
        var proxyUrl = $"{scheme}://{new string('u', userLength)}:{Uri.EscapeDataString(password)}@proxy.corp:1080";

        if (accepted)
        {
            Assert.Equal(password, KubeProxy.Parse(proxyUrl, Origin).Credentials!.GetCredential(new Uri("socks5://proxy.corp:1080"), "Basic")!.Password);
        }
        else
        {
            var error = Assert.Throws<FormatException>(() => KubeProxy.Parse(proxyUrl, Origin));
            Assert.Equal("has a user or password longer than the 255 bytes SOCKS5 carries (RFC 1929)", error.Message);
        }
    }

    // RFC 1929 authenticates a named user: Go's SOCKS5 client refuses user-info with an empty user name ("invalid
    // username/password") rather than send it, so client-go never authenticates with one.
    [Theory]
    [InlineData("socks5://:s3cret@proxy.corp:1080")]
    [InlineData("socks5://:s3cret@proxy.corp")]
    [InlineData("socks5://:@proxy.corp")]
    [InlineData("SOCKS5://:s3cret@[fd00::1]:1080")]
    public void Parse_Socks5EmptyUserName_Refused(string proxyUrl)
    {
        var error = Assert.Throws<FormatException>(() => KubeProxy.Parse(proxyUrl, Origin));

        Assert.Equal("has user-info with an empty user name, which SOCKS5 cannot authenticate (RFC 1929) and client-go refuses to send: "
            + "put the user before the ':' (percent-encoded), or leave user-info out", error.Message);
        Assert.DoesNotContain("s3cret", error.ToString());
    }

    // Only SOCKS5 needs the name: an http(s) proxy gets the user-info as it is (Go sends ":password" as Basic credentials).
    [Theory]
    [InlineData("http://:s3cret@proxy.corp:3128")]
    [InlineData("https://:s3cret@proxy.corp:3128")]
    public void Parse_HttpEmptyUserName_Accepted(string proxyUrl)
    {
        var credential = KubeProxy.Parse(proxyUrl, Origin).Credentials!.GetCredential(new Uri("http://proxy.corp:3128"), "Basic")!;

        Assert.Equal("", credential.UserName);
        Assert.Equal("s3cret", credential.Password);
    }

    [Fact]
    public void Parse_UserWithoutPassword_EmptyPassword()
    {
        var credential = KubeProxy.Parse("socks5://plexus@proxy.corp", Origin).Credentials!.GetCredential(new Uri("socks5://proxy.corp:1080"), "Basic")!;

        Assert.Equal("plexus", credential.UserName);
        Assert.Equal("", credential.Password);
    }

    // client-go's http.ProxyURL sends every request to the proxy: NO_PROXY and loopback do not apply.
    [Theory]
    [InlineData("https://127.0.0.1:6443/")]
    [InlineData("https://localhost:6443/")]
    [InlineData("https://10.96.0.1/")]
    public void GetProxy_AnyServer_TheProxyAndNeverBypassed(string server)
    {
        var proxy = KubeProxy.Parse("http://proxy.corp:3128", Origin);

        Assert.Equal(proxy.Address, proxy.GetProxy(new Uri(server)));
        Assert.False(proxy.IsBypassed(new Uri(server)));
        Assert.False(KubeRawApi.GoesDirect(proxy, new Uri(server)));
    }

    [Theory]
    [InlineData("proxy.corp:3128", "has no scheme")]
    [InlineData("admin:s3cret@proxy.corp:3128", "has no scheme")]
    [InlineData("/proxy", "has no scheme")]
    [InlineData("://proxy.corp", "has no scheme")]
    [InlineData("socks5h://admin:s3cret@proxy.corp:1080", "has the unsupported scheme \"socks5h\"")]
    [InlineData("socks4://proxy.corp", "has the unsupported scheme \"socks4\"")]
    [InlineData("ftp://proxy.corp", "has the unsupported scheme \"ftp\"")]
    [InlineData("ht tp://proxy.corp", "has an unsupported scheme")]
    [InlineData("http://admin:s3cret@[fd00::1", "is not a valid URL")]
    [InlineData("http://admin:s3cret@proxy.corp:notaport", "is not a valid URL")]
    [InlineData("http://admin:s3cret@proxy.corp:70000", "is not a valid URL")]
    [InlineData("http://", "is not a valid URL")]
    [InlineData("http:///path", "is not a valid URL")]
    [InlineData("socks5:///path", "names no proxy host")]
    [InlineData("socks5://:1080", "is not a valid URL")]
    [InlineData("http://:3128", "is not a valid URL")]
    [InlineData("socks5://admin:s3cret@", "is not a valid URL")]
    // Go's url.Parse would split at the last '@'; .NET's Uri refuses a '@' left unencoded in user-info.
    [InlineData("socks5://admin:s3cret@x@127.0.0.1:1080", "is not a valid URL")]
    public void Parse_BadUrl_SaysWhatIsWrongWithoutQuotingIt(string proxyUrl, string expected)
    {
        var error = Assert.Throws<FormatException>(() => KubeProxy.Parse(proxyUrl, Origin));

        Assert.StartsWith(expected, error.Message);
        Assert.DoesNotContain("s3cret", error.ToString());
        Assert.DoesNotContain("admin", error.ToString());
    }

    [Fact]
    public void DescribeFailure_ProxyDown_NamesTheRedactedProxyAndWhereItIsConfigured()
    {
        var proxy = KubeProxy.Parse("http://admin:s3cret@127.0.0.1:3128", Origin);
        var request = new HttpRequestMessage(HttpMethod.Get, "https://127.0.0.1:6443/api/v1/namespaces/ns/pods/p");

        var error = proxy.DescribeFailure(request, new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (127.0.0.1:3128)"));

        Assert.Equal(HttpRequestError.ConnectionError, error.HttpRequestError);
        Assert.Equal("GET /api/v1/namespaces/ns/pods/p through proxy http://***@127.0.0.1:3128 (proxy-url of cluster \"c\" in kubeconfig /k): "
            + "cannot connect to the proxy (Connection refused (127.0.0.1:3128)); is it running and reachable from this node?", error.Message);
        Assert.DoesNotContain("s3cret", error.ToString());
    }

    [Theory]
    [InlineData(HttpRequestError.ProxyTunnelError, "the proxy did not open a tunnel to 127.0.0.1:6443 (status 403)")]
    [InlineData(HttpRequestError.NameResolutionError, "cannot resolve the proxy's host name (status 403)")]
    [InlineData(HttpRequestError.SecureConnectionError, "TLS failed with the proxy or, through its tunnel, with the API server (status 403); "
        + "both certificates are verified with the cluster's certificate-authority (or insecure-skip-tls-verify)")]
    [InlineData(HttpRequestError.ResponseEnded, "status 403")]
    public void DescribeFailure_OtherTransportFailures_SayWhatFailed(HttpRequestError kind, string reason)
    {
        var proxy = KubeProxy.Parse("https://proxy.corp", Origin);
        var request = new HttpRequestMessage(HttpMethod.Patch, "https://127.0.0.1:6443/api/v1/x");

        var error = proxy.DescribeFailure(request, new HttpRequestException(kind, "status 403"));

        Assert.Equal($"PATCH /api/v1/x through proxy https://proxy.corp:443 ({Origin}): {reason}", error.Message);
    }

    // Through a plain http:// proxy only the API server speaks TLS, and .NET's message says so.
    [Fact]
    public void DescribeFailure_TlsFailureThroughHttpProxy_TheMessageAsItIs()
    {
        var proxy = KubeProxy.Parse("http://proxy.corp", Origin);
        var request = new HttpRequestMessage(HttpMethod.Get, "https://127.0.0.1:6443/api");

        var error = proxy.DescribeFailure(request, new HttpRequestException(HttpRequestError.SecureConnectionError, "The SSL connection could not be established"));

        Assert.Equal($"GET /api through proxy http://proxy.corp:80 ({Origin}): The SSL connection could not be established", error.Message);
    }

    [Theory]
    [InlineData("http://proxy.corp:3128", "http://proxy.corp:3128",
        "the proxy asks for credentials (407 Proxy Authentication Required) and the proxy-url has none; add them as user:password@ (percent-encoded)")]
    [InlineData("http://admin:s3cret@proxy.corp:3128", "http://***@proxy.corp:3128",
        "the proxy refused the credentials of the proxy-url (407 Proxy Authentication Required); fix its user and password (percent-encoded)")]
    public void DescribeFailure_TunnelAnswered407_SaysWhichCredentialsAndKeepsTheStatus(string proxyUrl, string display, string reason)
    {
        var proxy = KubeProxy.Parse(proxyUrl, Origin);
        var request = new HttpRequestMessage(HttpMethod.Get, "https://127.0.0.1:6443/api");
        var tunnelFailure = new HttpRequestException(HttpRequestError.ProxyTunnelError,
            "The proxy tunnel request to proxy 'http://proxy.corp:3128/' failed with status code '407'.");

        var error = proxy.DescribeFailure(request, tunnelFailure);

        Assert.IsType<ProxyCredentialsException>(error);
        Assert.Equal($"GET /api through proxy {display} ({Origin}): {reason}", error.Message);
        Assert.Equal(HttpStatusCode.ProxyAuthenticationRequired, error.StatusCode);
        Assert.Equal(HttpRequestError.ProxyTunnelError, error.HttpRequestError);
        Assert.DoesNotContain("s3cret", error.ToString());
    }

    // Only the status at the end of .NET's message counts: the proxy's own port may be 407.
    [Theory]
    [InlineData(HttpRequestError.ProxyTunnelError, "The proxy tunnel request to proxy 'http://proxy.corp:407/' failed with status code '403'.")]
    [InlineData(HttpRequestError.ProxyTunnelError, "The proxy tunnel request to proxy 'http://proxy.corp:3128/' failed with status code '4070'.")]
    [InlineData(HttpRequestError.ProxyTunnelError, "The proxy tunnel request to proxy 'http://proxy.corp:3128/' failed with status code '1407'.")]
    [InlineData(HttpRequestError.ConnectionError, "Connection refused (proxy.corp:407)")]
    public void DescribeFailure_No407Status_NotACredentialsProblem(HttpRequestError kind, string message)
    {
        var proxy = KubeProxy.Parse("http://admin:s3cret@proxy.corp:407", Origin);
        var request = new HttpRequestMessage(HttpMethod.Get, "https://127.0.0.1:6443/api");

        var error = proxy.DescribeFailure(request, new HttpRequestException(kind, message));

        Assert.IsNotType<ProxyCredentialsException>(error);
        Assert.Null(error.StatusCode);
        Assert.DoesNotContain("credentials", error.Message);
        Assert.Contains(message, error.Message);
    }

    // .NET's SOCKS5 failures: a tunnel error whose inner exception (SocksException, an IOException) says what went wrong.
    [Theory]
    [InlineData("socks5://admin:s3cret@proxy.corp", "socks5://***@proxy.corp:1080", "Failed to authenticate with the SOCKS server.",
        "the proxy refused the credentials of the proxy-url (SOCKS5 username/password authentication failed); fix its user and password (percent-encoded)")]
    [InlineData("socks5://proxy.corp", "socks5://proxy.corp:1080", "SOCKS server did not return a suitable authentication method.",
        "the proxy asks for credentials (SOCKS5 username/password) and the proxy-url has none; add them as user:password@ (percent-encoded)")]
    [InlineData("socks5://proxy.corp", "socks5://proxy.corp:1080", "SOCKS server requested username & password authentication.",
        "the proxy asks for credentials (SOCKS5 username/password) and the proxy-url has none; add them as user:password@ (percent-encoded)")]
    [InlineData("socks5://admin:s3cret@proxy.corp", "socks5://***@proxy.corp:1080", "SOCKS server did not return a suitable authentication method.",
        "the proxy accepts neither SOCKS5 authentication method offered (none, username/password); ask its operator how to authenticate")]
    public void DescribeFailure_Socks5AuthenticationFailed_CredentialsProblemWithoutAStatus(string proxyUrl, string display, string socksMessage, string reason)
    {
        var proxy = KubeProxy.Parse(proxyUrl, Origin);
        var request = new HttpRequestMessage(HttpMethod.Get, "https://127.0.0.1:6443/api");

        var error = proxy.DescribeFailure(request, SocksTunnelFailure(new IOException(socksMessage)));

        var refused = Assert.IsType<ProxyCredentialsException>(error);
        Assert.Equal($"GET /api through proxy {display} ({Origin}): {reason}", refused.Message);
        Assert.Null(refused.StatusCode);
        Assert.Equal(HttpRequestError.ProxyTunnelError, refused.HttpRequestError);
        Assert.DoesNotContain("s3cret", error.ToString());
    }

    // Only .NET's whole SOCKS texts, only on an IOException, only for a socks5 proxy: anything else is a tunnel that did not open.
    [Theory]
    [InlineData("socks5://admin:s3cret@proxy.corp", "SOCKS server failed to connect to the destination. Received error code 0x02.", typeof(IOException))]
    [InlineData("socks5://admin:s3cret@proxy.corp", "Failed to authenticate with the SOCKS server. Retry.", typeof(IOException))]
    [InlineData("socks5://admin:s3cret@proxy.corp", "Failed to authenticate with the SOCKS server.", typeof(InvalidOperationException))]
    [InlineData("http://admin:s3cret@proxy.corp", "Failed to authenticate with the SOCKS server.", typeof(IOException))]
    public void DescribeFailure_OtherSocksTunnelFailures_NotACredentialsProblemAndTheReasonShown(string proxyUrl, string innerMessage, Type innerType)
    {
        var proxy = KubeProxy.Parse(proxyUrl, Origin);
        var request = new HttpRequestMessage(HttpMethod.Get, "https://127.0.0.1:6443/api");

        var error = proxy.DescribeFailure(request, SocksTunnelFailure((Exception)Activator.CreateInstance(innerType, innerMessage)!));

        Assert.IsNotType<ProxyCredentialsException>(error);
        Assert.EndsWith($": the proxy did not open a tunnel to 127.0.0.1:6443 ({innerMessage})", error.Message);
        Assert.Equal(HttpRequestError.ProxyTunnelError, error.HttpRequestError);
    }

    // SocketsHttpHandler disposes the connection under a SOCKS5 handshake when its ConnectTimeout fires.
    [Theory]
    [InlineData("socks5://proxy.corp", HttpRequestError.ProxyTunnelError, SocketError.OperationAborted, false, true)]
    [InlineData("socks5://proxy.corp", HttpRequestError.ProxyTunnelError, null, false, true)]
    [InlineData("socks5://proxy.corp", HttpRequestError.ProxyTunnelError, SocketError.ConnectionReset, false, false)]
    [InlineData("socks5://proxy.corp", HttpRequestError.ProxyTunnelError, SocketError.ConnectionReset, true, true)]
    [InlineData("socks5://proxy.corp", HttpRequestError.ConnectionError, SocketError.OperationAborted, false, false)]
    [InlineData("socks5://proxy.corp", HttpRequestError.ConnectionError, SocketError.ConnectionReset, true, false)]
    [InlineData("http://proxy.corp", HttpRequestError.ProxyTunnelError, SocketError.OperationAborted, false, false)]
    [InlineData("http://proxy.corp", HttpRequestError.ProxyTunnelError, SocketError.ConnectionReset, true, false)]
    public void IsSocksHandshakeCutByTimeout_OnlyAnAbortedOrTimedOutSocksHandshake(string proxyUrl, HttpRequestError kind, SocketError? socketError, bool connectTimeoutElapsed, bool expected)
    {
        // null: the socket was already disposed when the handshake next read from it.
        Exception cause = socketError is { } code
            ? new IOException("Unable to read data from the transport connection.", new SocketException((int)code))
            : new ObjectDisposedException("System.Net.Sockets.NetworkStream");
        var failure = new HttpRequestException(kind, "An error occurred while establishing a connection to the proxy tunnel.", cause);

        Assert.Equal(expected, KubeProxy.Parse(proxyUrl, Origin).IsSocksHandshakeCutByTimeout(failure, connectTimeoutElapsed));
    }

    private static HttpRequestException SocksTunnelFailure(Exception inner) =>
        new(HttpRequestError.ProxyTunnelError, "An error occurred while establishing a connection to the proxy tunnel.", inner);

    [Fact]
    public void DescribeTimeout_NamesTheProxyAndWhatToCheck()
    {
        var proxy = KubeProxy.Parse("socks5://admin:s3cret@proxy.corp", Origin);
        var request = new HttpRequestMessage(HttpMethod.Get, "https://127.0.0.1:6443/api/v1/pods");
        var connectTimeout = new TaskCanceledException("The operation was canceled.", new TimeoutException("A connection could not be established within the configured ConnectTimeout."));

        var error = proxy.DescribeTimeout(request, connectTimeout);

        Assert.Equal($"GET /api/v1/pods through proxy socks5://***@proxy.corp:1080 ({Origin}): timed out connecting through the proxy "
            + "(no connection or tunnel within the connect timeout); is the proxy running and reachable from this node "
            + "(not behind a firewall that drops the packets), and does it open tunnels?", error.Message);
        Assert.Same(connectTimeout, error.InnerException);
        Assert.DoesNotContain("s3cret", error.ToString());
    }
}
