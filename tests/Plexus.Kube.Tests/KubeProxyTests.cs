using System.Net;

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
    [InlineData(HttpRequestError.SecureConnectionError, "status 403")]
    public void DescribeFailure_OtherTransportFailures_SayWhatFailed(HttpRequestError kind, string reason)
    {
        var proxy = KubeProxy.Parse("https://proxy.corp", Origin);
        var request = new HttpRequestMessage(HttpMethod.Patch, "https://127.0.0.1:6443/api/v1/x");

        var error = proxy.DescribeFailure(request, new HttpRequestException(kind, "status 403"));

        Assert.Equal($"PATCH /api/v1/x through proxy https://proxy.corp:443 ({Origin}): {reason}", error.Message);
    }
}
