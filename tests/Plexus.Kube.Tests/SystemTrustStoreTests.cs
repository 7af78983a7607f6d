namespace Plexus.Kube.Tests;

public sealed class SystemTrustStoreTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] set) =>
        name => set.FirstOrDefault(v => v.Name == name).Value;

    [Theory]
    [InlineData("/etc/ssl/certs/ca-certificates.crt")]
    [InlineData("/etc/pki/tls/certs/ca-bundle.crt")]
    [InlineData("/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem")]
    [InlineData("/etc/ssl/cert.pem")]
    public void NodeBundle_OneDistributionsBundle_ThatOne(string bundle)
    {
        Assert.Equal(bundle, SystemTrustStore.NodeBundle(Env(), path => path == bundle));
    }

    [Fact]
    public void NodeBundle_SeveralExist_FirstInGoOrder()
    {
        var existing = new HashSet<string> { "/etc/ssl/cert.pem", "/etc/pki/tls/certs/ca-bundle.crt" };

        Assert.Equal("/etc/pki/tls/certs/ca-bundle.crt", SystemTrustStore.NodeBundle(Env(), existing.Contains));
    }

    [Fact]
    public void NodeBundle_NoneExists_Null()
    {
        Assert.Null(SystemTrustStore.NodeBundle(Env(), _ => false));
    }

    [Theory]
    [InlineData("SSL_CERT_FILE")]
    [InlineData("SSL_CERT_DIR")]
    public void NodeBundle_OperatorChoseOne_LeftAlone(string variable)
    {
        Assert.Null(SystemTrustStore.NodeBundle(Env((variable, "/opt/corp/roots")), _ => true));
    }

    [Fact]
    public void NodeBundle_EmptyVariable_StillChooses()
    {
        Assert.Equal(SystemTrustStore.KnownBundles[0], SystemTrustStore.NodeBundle(Env(("SSL_CERT_FILE", "")), _ => true));
    }
}
