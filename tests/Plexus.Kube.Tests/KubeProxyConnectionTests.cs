using System.Net;
using Plexus.Cni;
using Plexus.Core.Ports;
using Plexus.KubeSim;
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
}
