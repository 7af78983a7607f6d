using Plexus.Cni;

namespace Plexus.Kube.Tests;

public sealed class KubeConnectionTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("plexus-kube-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static Func<string, string?> Env(params (string Key, string Value)[] vars) =>
        key => vars.FirstOrDefault(v => v.Key == key).Value;

    [Fact]
    public void TryCreate_NoKubeconfigNoInClusterEnv_NoKubernetes()
    {
        Assert.Null(KubeConnection.TryCreate(null, Env(), TimeProvider.System, dir));
        Assert.Null(KubeConnection.TryCreate("", Env(), TimeProvider.System, dir));
    }

    [Fact]
    public void TryCreate_InClusterEnvWithoutToken_NoKubernetes()
    {
        Assert.Null(KubeConnection.TryCreate(null, Env(("KUBERNETES_SERVICE_HOST", "10.0.0.1"), ("KUBERNETES_SERVICE_PORT", "443")), TimeProvider.System, dir));
    }

    [Fact]
    public void TryCreate_InClusterEnvAndToken_Ports()
    {
        File.WriteAllText(Path.Combine(dir, "token"), "abc\n");

        var ports = KubeConnection.TryCreate(null, Env(("KUBERNETES_SERVICE_HOST", "10.0.0.1"), ("KUBERNETES_SERVICE_PORT", "443")), TimeProvider.System, dir);

        Assert.NotNull(ports);
    }

    [Fact]
    public void TryCreate_InClusterBadPort_InvalidConfig()
    {
        File.WriteAllText(Path.Combine(dir, "token"), "abc");

        var error = Assert.Throws<CniException>(() =>
            KubeConnection.TryCreate(null, Env(("KUBERNETES_SERVICE_HOST", "10.0.0.1"), ("KUBERNETES_SERVICE_PORT", "https")), TimeProvider.System, dir));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains(dir, error.Message);
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("garbage")]
    public void TryCreate_BadKubeconfig_InvalidConfigNamingFile(string kind)
    {
        var path = Path.Combine(dir, "kubeconfig");
        if (kind == "garbage")
        {
            File.WriteAllText(path, "apiVersion: v1\nclusters: [[[");
        }

        var error = Assert.Throws<CniException>(() => KubeConnection.TryCreate(path, Env(), TimeProvider.System, dir));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains(path, error.Message);
    }
}
