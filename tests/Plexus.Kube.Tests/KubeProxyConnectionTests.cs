using System.Net;
using Plexus.Cni;
using Plexus.Core.Ports;
using Plexus.KubeSim;
using Plexus.KubeSim.Hosting;
using Plexus.Testing;

namespace Plexus.Kube.Tests;

// These tests set HttpClient.DefaultProxy (what HTTPS_PROXY/NO_PROXY configure), which every client in the process reads.
[CollectionDefinition(nameof(KubeProxyConnectionTests), DisableParallelization = true)]
public sealed class KubeProxyConnectionCollection;

/// <summary>
/// A kubeconfig's proxy-url in front of the API simulator: every request of the thin plugin's and plexusd's
/// transports tunnels through a real CONNECT or SOCKS5 proxy, whatever the environment's proxy says, as with client-go.
/// </summary>
[Collection(nameof(KubeProxyConnectionTests))]
public sealed class KubeProxyConnectionTests : IAsyncLifetime
{
    private readonly string dir = Directory.CreateTempSubdirectory("plexus-kube-proxy-").FullName;
    private readonly string ns = "ns-" + Guid.NewGuid().ToString("N")[..8];
    private readonly IWebProxy environmentProxy = HttpClient.DefaultProxy;
    private KubeSimServer sim = null!;

    public async Task InitializeAsync()
    {
        sim = await KubeSimServer.StartAsync();
        sim.CreateNamespace(ns);
        sim.CreatePod(ns, "p1");
    }

    public async Task DisposeAsync()
    {
        HttpClient.DefaultProxy = environmentProxy;
        await sim.DisposeAsync();
        Directory.Delete(dir, recursive: true);
    }

    private string Kubeconfig(string? proxyUrl) => sim.WriteKubeconfig(Path.Combine(dir, "kubeconfig"), proxyUrl: proxyUrl);

    private static KubernetesPorts Connect(string kubeconfig, bool sendOnCallingThread) =>
        KubeConnection.TryCreate(kubeconfig, _ => null, TimeProvider.System, sendOnCallingThread: sendOnCallingThread)!;

    // NO_PROXY naming the server would send the thin plugin straight to it on its calling-thread transport.
    [Theory]
    [InlineData("http", true)]
    [InlineData("http", false)]
    [InlineData("socks5", true)]
    [InlineData("socks5", false)]
    public async Task GetPod_ProxyUrlWhileNoProxyNamesTheServer_TunnelsThroughTheProxy(string scheme, bool sendOnCallingThread)
    {
        using var environmentProxy = new DeadPort();
        HttpClient.DefaultProxy = new WebProxy("http://127.0.0.1:" + environmentProxy.Port) { BypassList = [@"127\.0\.0\.1"] };
        await using var proxy = LoopbackProxy.For(scheme);
        var ports = Connect(Kubeconfig($"{scheme}://127.0.0.1:{proxy.Port}"), sendOnCallingThread);

        var lookup = await ports.Pods.GetPodAsync(new PodRef(ns, "p1"), CancellationToken.None);

        Assert.True(lookup.Found);
        Assert.True(proxy.Tunnels >= 1);
        Assert.All(proxy.Targets, target => Assert.Equal($"127.0.0.1:{sim.Port}", target));
    }

    // An environment proxy that is down would fail every request if it were used instead of the kubeconfig's. The connection
    // to the proxy keeps alive: its silent death would otherwise be found only by a request timing out.
    [Theory]
    [InlineData("http", true)]
    [InlineData("http", false)]
    [InlineData("socks5", true)]
    [InlineData("socks5", false)]
    public async Task GetPod_ProxyUrlWhileHttpsProxyNamesAnother_TunnelsThroughTheKubeconfigProxyOnAKeptAliveConnection(string scheme, bool sendOnCallingThread)
    {
        using var environmentProxy = new DeadPort();
        HttpClient.DefaultProxy = new WebProxy("http://127.0.0.1:" + environmentProxy.Port);
        await using var proxy = LoopbackProxy.For(scheme);
        var ports = Connect(Kubeconfig($"{scheme}://127.0.0.1:{proxy.Port}"), sendOnCallingThread);

        Assert.True((await ports.Pods.GetPodAsync(new PodRef(ns, "p1"), CancellationToken.None)).Found);
        Assert.True(proxy.Tunnels >= 1);
        KeepAliveAssert.ClientConnectionsTo(proxy.Port);
    }

    [Fact]
    public async Task GetPod_ProxyUrlWithUserInfo_AuthenticatesToTheProxy()
    {
        await using var proxy = new ConnectProxy { RequiredCredentials = ("plexus@corp", "p@ss:w/rd") };
        var ports = Connect(Kubeconfig($"http://plexus%40corp:p%40ss%3Aw%2Frd@127.0.0.1:{proxy.Port}"), sendOnCallingThread: true);

        Assert.True((await ports.Pods.GetPodAsync(new PodRef(ns, "p1"), CancellationToken.None)).Found);
        Assert.True(proxy.Tunnels >= 1);
        // .NET sends the credentials only once challenged (Go sends them with the first CONNECT), as the README says.
        Assert.True(proxy.AuthenticationChallenges >= 1);
    }

    // plexusd's list/watch caches: KubeRawApi with its streaming watch requests.
    [Theory]
    [InlineData("http")]
    [InlineData("socks5")]
    public async Task ListAndWatch_ProxyUrl_BothThroughTheProxy(string scheme)
    {
        await using var proxy = LoopbackProxy.For(scheme);
        using var raw = KubeRawApi.TryCreate(Kubeconfig($"{scheme}://127.0.0.1:{proxy.Port}"), _ => null)!;

        using var list = await raw.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"api/v1/namespaces/{ns}/pods"), CancellationToken.None);
        using var watch = await raw.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"api/v1/namespaces/{ns}/pods?watch=true"), CancellationToken.None);
        using var events = new StreamReader(await watch.Content.ReadAsStreamAsync());
        var firstEvent = await events.ReadLineAsync();

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.OK, watch.StatusCode);
        Assert.Contains("\"p1\"", firstEvent);
        Assert.True(proxy.Tunnels >= 1);
        Assert.All(proxy.Targets, target => Assert.Equal($"127.0.0.1:{sim.Port}", target));
        // A watch holds its connection for minutes.
        KeepAliveAssert.ClientConnectionsTo(proxy.Port);
    }

    [Theory]
    [InlineData("http", true)]
    [InlineData("http", false)]
    [InlineData("socks5", true)]
    [InlineData("socks5", false)]
    public async Task GetPod_ProxyDown_TryAgainLaterNamingTheProxyWithoutItsPassword(string scheme, bool sendOnCallingThread)
    {
        using var deadProxy = new DeadPort();
        var port = deadProxy.Port;
        var kubeconfig = Kubeconfig($"{scheme}://admin:hunter2secret@127.0.0.1:{port}");
        var ports = Connect(kubeconfig, sendOnCallingThread);

        var error = await Assert.ThrowsAsync<CniException>(() => ports.Pods.GetPodAsync(new PodRef(ns, "p1"), CancellationToken.None));

        Assert.Equal(CniErrorCode.TryAgainLater, error.Code);
        Assert.Contains($"through proxy {scheme}://***@127.0.0.1:{port} (proxy-url of cluster \"kube-sim\" in kubeconfig {kubeconfig}): cannot connect to the proxy", error.Message);
        Assert.DoesNotContain("hunter2secret", error.ToString() + error.Details);
    }

    // The proxy's reason follows: a CONNECT's status, a SOCKS5 reply code (0x02: connection not allowed by ruleset).
    [Theory]
    [InlineData("http", "failed with status code '403'")]
    [InlineData("socks5", "SOCKS server failed to connect to the destination. Received error code 0x02.")]
    public async Task GetPod_ProxyRefusesTheTunnel_TryAgainLaterNamingTheProxy(string scheme, string proxyReason)
    {
        await using var proxy = LoopbackProxy.For(scheme, refuseTunnels: true);
        var ports = Connect(Kubeconfig($"{scheme}://127.0.0.1:{proxy.Port}"), sendOnCallingThread: true);

        var error = await Assert.ThrowsAsync<CniException>(() => ports.Pods.GetPodAsync(new PodRef(ns, "p1"), CancellationToken.None));

        Assert.Equal(CniErrorCode.TryAgainLater, error.Code);
        Assert.Contains($"through proxy {scheme}://127.0.0.1:{proxy.Port} (proxy-url of cluster \"kube-sim\"", error.Message);
        Assert.Contains($"the proxy did not open a tunnel to 127.0.0.1:{sim.Port} (", error.Message);
        Assert.Contains(proxyReason, error.Message);
        Assert.Equal(0, proxy.Tunnels);
    }

    // Bad credentials and none at all, refused with a 407 or by SOCKS5 authentication: a kubeconfig to fix, not a proxy to wait for.
    [Theory]
    [InlineData("http", true, "plexus:hunter2secret@", "***@", "the proxy refused the credentials of the proxy-url (407 Proxy Authentication Required)")]
    [InlineData("http", false, "plexus:hunter2secret@", "***@", "the proxy refused the credentials of the proxy-url (407 Proxy Authentication Required)")]
    [InlineData("http", true, "", "", "the proxy asks for credentials (407 Proxy Authentication Required) and the proxy-url has none")]
    [InlineData("socks5", true, "plexus:hunter2secret@", "***@", "the proxy refused the credentials of the proxy-url (SOCKS5 username/password authentication failed)")]
    [InlineData("socks5", false, "plexus:hunter2secret@", "***@", "the proxy refused the credentials of the proxy-url (SOCKS5 username/password authentication failed)")]
    [InlineData("socks5", false, "hunter2secret:the-right-one@", "***@", "the proxy refused the credentials of the proxy-url (SOCKS5 username/password authentication failed)")]
    // Without credentials .NET offers a SOCKS5 proxy only "no authentication", which this one does not accept.
    [InlineData("socks5", true, "", "", "the proxy asks for credentials (SOCKS5 username/password) and the proxy-url has none")]
    public async Task GetPod_ProxyRefusesTheCredentials_InvalidConfigNamingTheProxyWithoutThePassword(
        string scheme, bool sendOnCallingThread, string userInfo, string shownUserInfo, string reason)
    {
        await using var proxy = LoopbackProxy.For(scheme, requiredCredentials: ("plexus", "the-right-one"));
        var kubeconfig = Kubeconfig($"{scheme}://{userInfo}127.0.0.1:{proxy.Port}");
        var ports = Connect(kubeconfig, sendOnCallingThread);

        var error = await Assert.ThrowsAsync<CniException>(() => ports.Pods.GetPodAsync(new PodRef(ns, "p1"), CancellationToken.None));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains($"through proxy {scheme}://{shownUserInfo}127.0.0.1:{proxy.Port} (proxy-url of cluster \"kube-sim\" in kubeconfig {kubeconfig}): {reason}", error.Message);
        Assert.Contains("fix the user-info of the proxy-url", error.Details);
        Assert.DoesNotContain("hunter2secret", error.ToString() + error.Details);
        // The proxy did turn them away: with a 407 challenge, or by refusing a SOCKS5 username/password exchange when one was offered.
        Assert.True(proxy is ConnectProxy http ? http.AuthenticationChallenges >= 1 : ((Socks5Proxy)proxy).RefusedCredentials >= 1 == (userInfo != ""));
        Assert.Equal(0, proxy.Tunnels);
    }

    // A proxy that accepts the connection and never answers CONNECT (hung); a host that drops the packets times out alike.
    // SOCKS5: no answer to the greeting, which .NET's handler cuts by closing the connection rather than cancelling.
    [Theory]
    [InlineData("http", true)]
    [InlineData("http", false)]
    [InlineData("socks5", true)]
    [InlineData("socks5", false)]
    public async Task GetPod_ProxyNeverAnswers_TryAgainLaterNamingTheProxyThatTimedOut(string scheme, bool sendOnCallingThread)
    {
        await using var proxy = LoopbackProxy.For(scheme, neverAnswer: true);
        var kubeconfig = Kubeconfig($"{scheme}://admin:hunter2secret@127.0.0.1:{proxy.Port}");
        using var api = KubeRawApi.Create(KubeConnection.FromKubeconfig(kubeconfig), kubeconfig, sendOnCallingThread, connectTimeout: TimeSpan.FromMilliseconds(300));

        var error = await Assert.ThrowsAsync<CniException>(() => new KubePodClient(api, TimeProvider.System).GetPodAsync(new PodRef(ns, "p1"), CancellationToken.None));

        Assert.Equal(CniErrorCode.TryAgainLater, error.Code);
        // The whole message and its causes on failure: which error a cut SOCKS5 handshake surfaces as depends on timing.
        Assert.True(error.Message.Contains($"through proxy {scheme}://***@127.0.0.1:{proxy.Port} (proxy-url of cluster \"kube-sim\" in kubeconfig {kubeconfig}): "
            + "timed out connecting through the proxy", StringComparison.Ordinal), error.ToString());
        Assert.IsType<TaskCanceledException>(error.InnerException);
        Assert.DoesNotContain("hunter2secret", error.ToString() + error.Details);
        Assert.Equal(0, proxy.Tunnels);
    }

    // The caller's own cancellation is not the proxy's timeout.
    [Theory]
    [InlineData("http")]
    [InlineData("socks5")]
    public async Task Send_CallerCancelsWhileTheProxyNeverAnswers_CancelledWithoutBlamingTheProxy(string scheme)
    {
        await using var proxy = LoopbackProxy.For(scheme, neverAnswer: true);
        using var raw = KubeRawApi.TryCreate(Kubeconfig($"{scheme}://127.0.0.1:{proxy.Port}"), _ => null)!;
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => raw.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"api/v1/namespaces/{ns}/pods"), cancel.Token));

        Assert.Equal(cancel.Token, error.CancellationToken);
        Assert.DoesNotContain("through proxy", error.ToString());
    }

    // An https:// proxy is verified with the cluster's CA, as client-go's addTLS does: one whose certificate it signed is trusted.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task GetPod_HttpsProxyCertifiedByTheClusterCa_TunnelsThroughIt(bool sendOnCallingThread)
    {
        await using var proxy = new ConnectProxy { TlsCertificate = sim.ServerCertificate };
        var ports = Connect(Kubeconfig($"https://127.0.0.1:{proxy.Port}"), sendOnCallingThread);

        Assert.True((await ports.Pods.GetPodAsync(new PodRef(ns, "p1"), CancellationToken.None)).Found);
        Assert.True(proxy.TlsHandshakes >= 1);
        Assert.True(proxy.Tunnels >= 1);
        Assert.All(proxy.Targets, target => Assert.Equal($"127.0.0.1:{sim.Port}", target));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task GetPod_HttpsProxyCertifiedByAnotherCa_TryAgainLaterNamingTheProxy(bool sendOnCallingThread)
    {
        using var otherAuthority = CertificateAuthority.Create();
        await using var proxy = new ConnectProxy { TlsCertificate = otherAuthority.ServerCertificate };
        var kubeconfig = Kubeconfig($"https://127.0.0.1:{proxy.Port}");
        var ports = Connect(kubeconfig, sendOnCallingThread);

        var error = await Assert.ThrowsAsync<CniException>(() => ports.Pods.GetPodAsync(new PodRef(ns, "p1"), CancellationToken.None));

        Assert.Equal(CniErrorCode.TryAgainLater, error.Code);
        Assert.Contains($"through proxy https://127.0.0.1:{proxy.Port} (proxy-url of cluster \"kube-sim\" in kubeconfig {kubeconfig}): "
            + "TLS failed with the proxy or, through its tunnel, with the API server", error.Message);
        // The proxy's side of a TLS 1.3 handshake may finish before the client refuses; no CONNECT follows.
        Assert.Equal(0, proxy.Tunnels);
    }

    // RFC 1929 with the user-info's credentials, percent-decoded and sent as UTF-8 (as Go sends them).
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task GetPod_Socks5ProxyUrlWithPercentEncodedUserInfo_AuthenticatesWithUsernamePassword(bool sendOnCallingThread)
    {
        await using var proxy = new Socks5Proxy { RequiredCredentials = ("plexus@corp", "p@ss:w/rd ä%") };
        var ports = Connect(Kubeconfig($"socks5://plexus%40corp:p%40ss%3Aw%2Frd%20%C3%A4%25@127.0.0.1:{proxy.Port}"), sendOnCallingThread);

        Assert.True((await ports.Pods.GetPodAsync(new PodRef(ns, "p1"), CancellationToken.None)).Found);
        Assert.True(proxy.Authentications >= 1);
        Assert.Equal(0, proxy.RefusedCredentials);
        Assert.True(proxy.Tunnels >= 1);
    }

    // A server named by host name reaches the proxy as a SOCKS5 domain name, resolved by the proxy, as Go's client sends it.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task GetPod_Socks5ProxyUrlAndServerByName_TheProxyGetsTheName(bool sendOnCallingThread)
    {
        await using var proxy = new Socks5Proxy();
        var kubeconfig = Kubeconfig($"socks5://127.0.0.1:{proxy.Port}");
        File.WriteAllText(kubeconfig, File.ReadAllText(kubeconfig).Replace(sim.BaseUrl, $"https://localhost:{sim.Port}", StringComparison.Ordinal));
        var ports = Connect(kubeconfig, sendOnCallingThread);

        Assert.True((await ports.Pods.GetPodAsync(new PodRef(ns, "p1"), CancellationToken.None)).Found);
        Assert.True(proxy.Tunnels >= 1);
        Assert.All(proxy.Targets, target => Assert.Equal($"localhost:{sim.Port}", target));
    }

    // The same kubeconfig without the proxy-url goes straight to the server (the environment names no proxy here).
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task GetPod_Socks5ProxyUrlOrNone_TheProxyCarriesTheRequestsOnlyWhenNamed(bool named)
    {
        HttpClient.DefaultProxy = new WebProxy();
        await using var proxy = new Socks5Proxy();
        var ports = Connect(Kubeconfig(named ? $"socks5://127.0.0.1:{proxy.Port}" : null), sendOnCallingThread: false);

        Assert.True((await ports.Pods.GetPodAsync(new PodRef(ns, "p1"), CancellationToken.None)).Found);
        Assert.Equal(named, proxy.Tunnels >= 1);
    }

    // client-go's default port for socks5 (net/http's canonicalAddr), and a path that means nothing to a proxy; skipped
    // when something else holds the port.
    [SkippableFact]
    public async Task GetPod_Socks5ProxyUrlWithoutPortWithPath_Port1080AndThePathIgnored()
    {
        Socks5Proxy proxy;
        try
        {
            proxy = new Socks5Proxy(port: 1080);
        }
        catch (System.Net.Sockets.SocketException e) when (e.SocketErrorCode == System.Net.Sockets.SocketError.AddressAlreadyInUse)
        {
            throw new SkipException("127.0.0.1:1080 is in use");
        }
        await using var _ = proxy;
        var ports = Connect(Kubeconfig("socks5://127.0.0.1/some/path"), sendOnCallingThread: true);

        Assert.True((await ports.Pods.GetPodAsync(new PodRef(ns, "p1"), CancellationToken.None)).Found);
        Assert.True(proxy.Tunnels >= 1);
    }
}
