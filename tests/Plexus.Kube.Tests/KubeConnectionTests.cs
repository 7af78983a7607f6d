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
    public void TryCreate_InClusterEnvWithoutToken_RefusedNamingTheTokenPath()
    {
        var error = Assert.Throws<CniException>(() =>
            KubeConnection.TryCreate(null, Env(("KUBERNETES_SERVICE_HOST", "10.0.0.1"), ("KUBERNETES_SERVICE_PORT", "443")), TimeProvider.System, dir));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains(Path.Combine(dir, "token"), error.Message);
        Assert.Contains("kubeconfig", error.Details);
    }

    [Theory]
    [InlineData("10.0.0.1", null)]
    [InlineData(null, "443")]
    public void TryCreate_InClusterEnvIncomplete_NoKubernetes(string? host, string? port)
    {
        Assert.Null(KubeConnection.TryCreate(null, key => key switch
        {
            "KUBERNETES_SERVICE_HOST" => host,
            "KUBERNETES_SERVICE_PORT" => port,
            _ => null,
        }, TimeProvider.System, dir));
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
    [InlineData("bad-ca-data")]
    [InlineData("bad-base64")]
    [InlineData("unnamed-context")]
    public void TryCreate_BadKubeconfig_InvalidConfigNamingFile(string kind)
    {
        var path = Path.Combine(dir, "kubeconfig");
        if (BadKubeconfigs.TryGetValue(kind, out var text))
        {
            File.WriteAllText(path, text);
        }

        var error = Assert.Throws<CniException>(() => KubeConnection.TryCreate(path, Env(), TimeProvider.System, dir));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains(path, error.Message);
        Assert.DoesNotContain(Secret, error.Message + error.Details);
    }

    [Fact]
    public void TryCreate_ClientCertificateAndKey_Ports()
    {
        var (certificate, key) = SelfSignedPem();
        var path = Path.Combine(dir, "kubeconfig");
        File.WriteAllText(path, Kubeconfig("insecure-skip-tls-verify: true", ClientCredentials(certificate, key)));

        Assert.NotNull(KubeConnection.TryCreate(path, Env(), TimeProvider.System, dir));
    }

    [Fact]
    public void TryCreate_ClientKeyNotMatchingCertificate_InvalidConfigNamingFile()
    {
        var (certificate, _) = SelfSignedPem();
        var (_, otherKey) = SelfSignedPem();
        var path = Path.Combine(dir, "kubeconfig");
        File.WriteAllText(path, Kubeconfig("insecure-skip-tls-verify: true", ClientCredentials(certificate, otherKey)));

        var error = Assert.Throws<CniException>(() => KubeConnection.TryCreate(path, Env(), TimeProvider.System, dir));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains("client certificate", error.Message);
        Assert.Contains(path, error.Message);
        Assert.DoesNotContain("PRIVATE KEY", error.Message + error.Details);
    }

    private static string ClientCredentials(string certificatePem, string keyPem) =>
        $"client-certificate-data: {Base64(certificatePem)}\n    client-key-data: {Base64(keyPem)}";

    private static string Base64(string text) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text));

    private static (string Certificate, string Key) SelfSignedPem()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=plexus-test", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
        return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    private const string Secret = "s3cr3t-token-value";

    // Found by the kubeconfig fuzz target: each made the client's loader throw something other than KubeConfigException.
    private static readonly Dictionary<string, string> BadKubeconfigs = new()
    {
        ["garbage"] = "apiVersion: v1\nclusters: [[[",
        ["bad-ca-data"] = Kubeconfig("certificate-authority-data: bm90IGEgY2VydA=="),
        ["bad-base64"] = Kubeconfig("certificate-authority-data: '%%%'"),
        ["unnamed-context"] = Kubeconfig("insecure-skip-tls-verify: true").Replace("- name: x\n  context", "- context", StringComparison.Ordinal),
    };

    private static string Kubeconfig(string clusterLine, string? userLines = null) => $$"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: c
          cluster:
            server: https://127.0.0.1:6443
            {{clusterLine}}
        users:
        - name: u
          user:
            {{userLines ?? $"token: {Secret}"}}
        contexts:
        - name: x
          context: {cluster: c, user: u}
        current-context: x
        """;
}
