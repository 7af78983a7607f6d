using System.Text.Json.Nodes;
using Plexus.Cni;
using Plexus.KubeSim;
using Plexus.Linux.Netns;
using Plexus.Testing;

namespace Plexus.App.Tests;

/// <summary>
/// The published thin plugin with a kubeconfig whose cluster has a proxy-url, a real CONNECT or SOCKS5 proxy in front of
/// the API simulator: the proxy-url wins over the process's HTTPS_PROXY and NO_PROXY, as in client-go.
/// </summary>
public sealed class KubeconfigProxyTests : IAsyncLifetime
{
    private const string Namespace = "ns1";
    private const string Pod = "p1";
    private readonly string dir = Directory.CreateTempSubdirectory("plexus-app-proxy-").FullName;
    private readonly string netns = TestNetns.NewName();
    private KubeSimServer sim = null!;

    public async Task InitializeAsync()
    {
        sim = await KubeSimServer.StartAsync();
        sim.CreateNamespace(Namespace);
        sim.CreatePod(Namespace, Pod);
    }

    public async Task DisposeAsync()
    {
        await sim.DisposeAsync();
        if (NetnsManager.Exists(netns))
        {
            NetnsManager.Delete(netns);
        }
        Directory.Delete(dir, recursive: true);
    }

    // Without the proxy-url, the first would fail on the dead environment proxy and the second would go straight to the server.
    [SkippableTheory]
    [Trait("Category", "Root")]
    [InlineData("http", "")]
    [InlineData("http", "127.0.0.1")]
    [InlineData("socks5", "")]
    [InlineData("socks5", "127.0.0.1")]
    public async Task Add_ProxyUrl_ApiRequestsTunnelThroughItWhateverTheEnvironmentSays(string scheme, string noProxy)
    {
        Skip.IfNot(PublishedPlexus.Exists, PublishedPlexus.NotPublished);
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root for the pod's network namespace (the meta-plugin lists its links after ADD)");
        var sandbox = await NetnsManager.CreateAsync(netns, CancellationToken.None);
        await using var proxy = LoopbackProxy.For(scheme);
        using var environmentProxy = new DeadPort();

        var (exit, stdout, stderr) = await AddAsync($"{scheme}://127.0.0.1:{proxy.Port}", ProxyEnvironment($"http://127.0.0.1:{environmentProxy.Port}", noProxy), sandbox);

        Assert.True(exit == 0, stdout + stderr);
        Assert.True(proxy.Tunnels >= 1);
        Assert.All(proxy.Targets, target => Assert.Equal($"127.0.0.1:{sim.Port}", target));
        // The network-status PATCH, the last request of the ADD, went the same way.
        var annotations = sim.Get("v1", "Pod", Namespace, Pod)!["metadata"]!["annotations"]!.AsObject();
        Assert.True(annotations.ContainsKey("k8s.v1.cni.cncf.io/network-status"));
    }

    [SkippableTheory]
    [InlineData("http")]
    [InlineData("socks5")]
    public async Task Add_ProxyDown_Code11NamingTheProxyWithoutItsPassword(string scheme)
    {
        Skip.IfNot(PublishedPlexus.Exists, PublishedPlexus.NotPublished);
        using var deadProxy = new DeadPort();
        var port = deadProxy.Port;

        var (exit, stdout, stderr) = await AddAsync($"{scheme}://admin:hunter2secret@127.0.0.1:{port}", ProxyEnvironment("", ""));

        var error = JsonNode.Parse(stdout)!;
        Assert.NotEqual(0, exit);
        Assert.Equal((int)CniErrorCode.TryAgainLater, error["code"]!.GetValue<int>());
        Assert.Contains($"through proxy {scheme}://***@127.0.0.1:{port} (proxy-url of cluster \"kube-sim\" in kubeconfig {Kubeconfig}): cannot connect to the proxy",
            error["msg"]!.GetValue<string>());
        Assert.DoesNotContain("hunter2secret", stdout + stderr + File.ReadAllText(Log));
    }

    // The published binary reads the 407, or the SOCKS5 authentication failure, out of .NET's own messages (their
    // resource texts are kept in the AOT image).
    [SkippableTheory]
    [InlineData("http", "407 Proxy Authentication Required")]
    [InlineData("socks5", "SOCKS5 username/password authentication failed")]
    public async Task Add_ProxyRefusesTheCredentials_Code7NamingTheProxyWithoutThePassword(string scheme, string refusal)
    {
        Skip.IfNot(PublishedPlexus.Exists, PublishedPlexus.NotPublished);
        await using var proxy = LoopbackProxy.For(scheme, requiredCredentials: ("admin", "the-right-one"));

        var (exit, stdout, stderr) = await AddAsync($"{scheme}://admin:hunter2secret@127.0.0.1:{proxy.Port}", ProxyEnvironment("", ""));

        var error = JsonNode.Parse(stdout)!;
        Assert.NotEqual(0, exit);
        Assert.Equal((int)CniErrorCode.InvalidNetworkConfig, error["code"]!.GetValue<int>());
        Assert.Contains($"through proxy {scheme}://***@127.0.0.1:{proxy.Port} (proxy-url of cluster \"kube-sim\" in kubeconfig {Kubeconfig}): "
            + $"the proxy refused the credentials of the proxy-url ({refusal})", error["msg"]!.GetValue<string>());
        Assert.DoesNotContain("hunter2secret", stdout + stderr + File.ReadAllText(Log));
        Assert.Equal(0, proxy.Tunnels);
    }

    [SkippableFact]
    public async Task Add_ProxyUrlUnsupportedScheme_Code7NamingTheKubeconfigAndTheCluster()
    {
        Skip.IfNot(PublishedPlexus.Exists, PublishedPlexus.NotPublished);

        var (exit, stdout, stderr) = await AddAsync("socks5h://admin:hunter2secret@127.0.0.1:1080", ProxyEnvironment("", ""));

        var error = JsonNode.Parse(stdout)!;
        Assert.NotEqual(0, exit);
        Assert.Equal((int)CniErrorCode.InvalidNetworkConfig, error["code"]!.GetValue<int>());
        Assert.Equal($"cannot load kubeconfig {Kubeconfig}: the proxy-url of cluster \"kube-sim\" has the unsupported scheme \"socks5h\": it must be http, https or socks5, as client-go accepts",
            error["msg"]!.GetValue<string>());
        Assert.DoesNotContain("hunter2secret", stdout + stderr + File.ReadAllText(Log));
    }

    private string Kubeconfig => Path.Combine(dir, "kubeconfig");

    private string Log => Path.Combine(dir, "plexus.log");

    // Both spellings: .NET reads the lower-case one first, and the test process may have either set.
    private static Dictionary<string, string> ProxyEnvironment(string httpsProxy, string noProxy) => new()
    {
        ["HTTPS_PROXY"] = httpsProxy, ["https_proxy"] = httpsProxy, ["ALL_PROXY"] = "", ["all_proxy"] = "",
        ["NO_PROXY"] = noProxy, ["no_proxy"] = noProxy,
    };

    // An ADD for the simulator's pod with one delegate, a script that answers with a result; the errors come before the sandbox is used.
    private async Task<(int ExitCode, string Stdout, string Stderr)> AddAsync(string proxyUrl, Dictionary<string, string> env, string sandbox = "/var/run/netns/none")
    {
        sim.WriteKubeconfig(Kubeconfig, proxyUrl: proxyUrl);
        var binDir = Directory.CreateDirectory(Path.Combine(dir, "bin")).FullName;
        var bridge = Path.Combine(binDir, "bridge");
        File.WriteAllText(bridge, $$"""
            #!/bin/sh
            cat >/dev/null
            echo '{"cniVersion":"1.0.0","interfaces":[{"name":"eth0","sandbox":"{{sandbox}}"}],"ips":[{"address":"10.1.0.5/24","interface":0}]}'
            """ + "\n");
        File.SetUnixFileMode(bridge, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        env["CNI_COMMAND"] = "ADD";
        env["CNI_CONTAINERID"] = "abc123";
        env["CNI_NETNS"] = sandbox;
        env["CNI_IFNAME"] = "eth0";
        env["CNI_PATH"] = binDir;
        env["CNI_ARGS"] = $"K8S_POD_NAMESPACE={Namespace};K8S_POD_NAME={Pod};K8S_POD_UID={sim.Get("v1", "Pod", Namespace, Pod)!["metadata"]!["uid"]}";
        var config = $$"""
            {"cniVersion":"1.0.0","name":"n","type":"plexus","kubeconfig":"{{Kubeconfig}}","logFile":"{{Log}}","logLevel":"debug",
             "cniDir":"{{dir}}","binDir":"{{binDir}}","delegates":[{"cniVersion":"1.0.0","name":"cbr0","type":"bridge"}]}
            """;
        return await PublishedPlexus.RunAsync(env, config);
    }
}
