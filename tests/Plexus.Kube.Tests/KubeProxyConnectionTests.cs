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
/// transports tunnels through a real CONNECT proxy, whatever the environment's proxy says, as with client-go.
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

    private string Kubeconfig(string proxyUrl) => sim.WriteKubeconfig(Path.Combine(dir, "kubeconfig"), proxyUrl: proxyUrl);

    private static KubernetesPorts Connect(string kubeconfig, bool sendOnCallingThread) =>
        KubeConnection.TryCreate(kubeconfig, _ => null, TimeProvider.System, sendOnCallingThread: sendOnCallingThread)!;

    // NO_PROXY naming the server would send the thin plugin straight to it on its calling-thread transport.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task GetPod_ProxyUrlWhileNoProxyNamesTheServer_TunnelsThroughTheProxy(bool sendOnCallingThread)
    {
        HttpClient.DefaultProxy = new WebProxy("http://127.0.0.1:" + ConnectProxy.DeadPort()) { BypassList = [@"127\.0\.0\.1"] };
        await using var proxy = new ConnectProxy();
        var ports = Connect(Kubeconfig($"http://127.0.0.1:{proxy.Port}"), sendOnCallingThread);

        var lookup = await ports.Pods.GetPodAsync(new PodRef(ns, "p1"), CancellationToken.None);

        Assert.True(lookup.Found);
        Assert.True(proxy.Tunnels >= 1);
        Assert.All(proxy.Targets, target => Assert.Equal($"127.0.0.1:{sim.Port}", target));
    }

    // An environment proxy that is down would fail every request if it were used instead of the kubeconfig's.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task GetPod_ProxyUrlWhileHttpsProxyNamesAnother_TunnelsThroughTheKubeconfigProxy(bool sendOnCallingThread)
    {
        HttpClient.DefaultProxy = new WebProxy("http://127.0.0.1:" + ConnectProxy.DeadPort());
        await using var proxy = new ConnectProxy();
        var ports = Connect(Kubeconfig($"http://127.0.0.1:{proxy.Port}"), sendOnCallingThread);

        Assert.True((await ports.Pods.GetPodAsync(new PodRef(ns, "p1"), CancellationToken.None)).Found);
        Assert.True(proxy.Tunnels >= 1);
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
    [Fact]
    public async Task ListAndWatch_ProxyUrl_BothThroughTheProxy()
    {
        await using var proxy = new ConnectProxy();
        using var raw = KubeRawApi.TryCreate(Kubeconfig($"http://127.0.0.1:{proxy.Port}"), _ => null)!;

        using var list = await raw.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"api/v1/namespaces/{ns}/pods"), CancellationToken.None);
        using var watch = await raw.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"api/v1/namespaces/{ns}/pods?watch=true"), CancellationToken.None);
        using var events = new StreamReader(await watch.Content.ReadAsStreamAsync());
        var firstEvent = await events.ReadLineAsync();

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.OK, watch.StatusCode);
        Assert.Contains("\"p1\"", firstEvent);
        Assert.True(proxy.Tunnels >= 1);
        Assert.All(proxy.Targets, target => Assert.Equal($"127.0.0.1:{sim.Port}", target));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task GetPod_ProxyDown_TryAgainLaterNamingTheProxyWithoutItsPassword(bool sendOnCallingThread)
    {
        var port = ConnectProxy.DeadPort();
        var kubeconfig = Kubeconfig($"http://admin:hunter2secret@127.0.0.1:{port}");
        var ports = Connect(kubeconfig, sendOnCallingThread);

        var error = await Assert.ThrowsAsync<CniException>(() => ports.Pods.GetPodAsync(new PodRef(ns, "p1"), CancellationToken.None));

        Assert.Equal(CniErrorCode.TryAgainLater, error.Code);
        Assert.Contains($"through proxy http://***@127.0.0.1:{port} (proxy-url of cluster \"kube-sim\" in kubeconfig {kubeconfig}): cannot connect to the proxy", error.Message);
        Assert.DoesNotContain("hunter2secret", error.ToString() + error.Details);
    }

    [Fact]
    public async Task GetPod_ProxyRefusesTheTunnel_TryAgainLaterNamingTheProxy()
    {
        await using var proxy = new ConnectProxy { RefuseTunnels = true };
        var ports = Connect(Kubeconfig($"http://127.0.0.1:{proxy.Port}"), sendOnCallingThread: true);

        var error = await Assert.ThrowsAsync<CniException>(() => ports.Pods.GetPodAsync(new PodRef(ns, "p1"), CancellationToken.None));

        Assert.Equal(CniErrorCode.TryAgainLater, error.Code);
        Assert.Contains($"through proxy http://127.0.0.1:{proxy.Port} (proxy-url of cluster \"kube-sim\"", error.Message);
        Assert.Contains($"the proxy did not open a tunnel to 127.0.0.1:{sim.Port}", error.Message);
        Assert.Equal(0, proxy.Tunnels);
    }

    // Bad credentials and none at all: a 407 is a kubeconfig to fix, not a proxy to wait for.
    [Theory]
    [InlineData(true, "plexus:hunter2secret@", "***@", "the proxy refused the credentials of the proxy-url (407 Proxy Authentication Required)")]
    [InlineData(false, "plexus:hunter2secret@", "***@", "the proxy refused the credentials of the proxy-url (407 Proxy Authentication Required)")]
    [InlineData(true, "", "", "the proxy asks for credentials (407 Proxy Authentication Required) and the proxy-url has none")]
    public async Task GetPod_ProxyRefusesTheCredentials_InvalidConfigNamingTheProxyWithoutThePassword(
        bool sendOnCallingThread, string userInfo, string shownUserInfo, string reason)
    {
        await using var proxy = new ConnectProxy { RequiredCredentials = ("plexus", "the-right-one") };
        var kubeconfig = Kubeconfig($"http://{userInfo}127.0.0.1:{proxy.Port}");
        var ports = Connect(kubeconfig, sendOnCallingThread);

        var error = await Assert.ThrowsAsync<CniException>(() => ports.Pods.GetPodAsync(new PodRef(ns, "p1"), CancellationToken.None));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains($"through proxy http://{shownUserInfo}127.0.0.1:{proxy.Port} (proxy-url of cluster \"kube-sim\" in kubeconfig {kubeconfig}): {reason}", error.Message);
        Assert.Contains("fix the user-info of the proxy-url", error.Details);
        Assert.DoesNotContain("hunter2secret", error.ToString() + error.Details);
        Assert.True(proxy.AuthenticationChallenges >= 1);
        Assert.Equal(0, proxy.Tunnels);
    }

    // A proxy that accepts the connection and never answers CONNECT (hung); a host that drops the packets times out alike.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task GetPod_ProxyNeverAnswers_TryAgainLaterNamingTheProxyThatTimedOut(bool sendOnCallingThread)
    {
        await using var proxy = new ConnectProxy { NeverAnswer = true };
        var kubeconfig = Kubeconfig($"http://admin:hunter2secret@127.0.0.1:{proxy.Port}");
        using var api = KubeRawApi.Create(KubeConnection.FromKubeconfig(kubeconfig), kubeconfig, sendOnCallingThread, connectTimeout: TimeSpan.FromMilliseconds(300));

        var error = await Assert.ThrowsAsync<CniException>(() => new KubePodClient(api, TimeProvider.System).GetPodAsync(new PodRef(ns, "p1"), CancellationToken.None));

        Assert.Equal(CniErrorCode.TryAgainLater, error.Code);
        Assert.Contains($"through proxy http://***@127.0.0.1:{proxy.Port} (proxy-url of cluster \"kube-sim\" in kubeconfig {kubeconfig}): "
            + "timed out connecting through the proxy", error.Message);
        Assert.IsType<TaskCanceledException>(error.InnerException);
        Assert.DoesNotContain("hunter2secret", error.ToString() + error.Details);
        Assert.Equal(0, proxy.Tunnels);
    }

    // The caller's own cancellation is not the proxy's timeout.
    [Fact]
    public async Task Send_CallerCancelsWhileTheProxyNeverAnswers_CancelledWithoutBlamingTheProxy()
    {
        await using var proxy = new ConnectProxy { NeverAnswer = true };
        using var raw = KubeRawApi.TryCreate(Kubeconfig($"http://127.0.0.1:{proxy.Port}"), _ => null)!;
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
}
