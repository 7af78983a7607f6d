using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Plexus.Bench.Infrastructure;
using Plexus.KubeSim;

namespace Plexus.Bench.Tests.Infrastructure;

public sealed class TlsProbeTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("plexus-tls-probe-");

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public void Parse_ProbeLine_PhasesAndTotal()
    {
        var sample = TlsConnectSample.Parse(
            """{"openssl":"OpenSSL 3.0.19 27 Jan 2026","initMs":0.5,"contextMs":1.25,"trustMs":0.25,"handshakeMs":0.75}""" + "\n");

        Assert.Equal(new TlsConnectSample("OpenSSL 3.0.19 27 Jan 2026", 0.5, 1.25, 0.25, 0.75), sample);
        Assert.Equal(2.75, sample.TotalMs);
    }

    [Theory]
    [InlineData("")]
    [InlineData("tls-connect: the handshake failed")]
    [InlineData("[1,2]")]
    [InlineData("""{"initMs":0.5,"contextMs":1,"trustMs":0.2,"handshakeMs":0.7}""")]
    [InlineData("""{"openssl":"OpenSSL 3","initMs":0.5,"contextMs":1,"handshakeMs":0.7}""")]
    [InlineData("""{"openssl":"OpenSSL 3","initMs":-0.5,"contextMs":1,"trustMs":0.2,"handshakeMs":0.7}""")]
    [InlineData("""{"openssl":"OpenSSL 3","initMs":"fast","contextMs":1,"trustMs":0.2,"handshakeMs":0.7}""")]
    public void Parse_AnythingElse_NamesWhatItPrintedInstead(string stdout)
    {
        var error = Assert.Throws<InvalidOperationException>(() => TlsConnectSample.Parse(stdout));

        Assert.Contains("TLS probe", error.Message, StringComparison.Ordinal);
        Assert.EndsWith(stdout, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_TrustingTheSimulatorsCa_EveryPhaseCostsCpu()
    {
        await using var sim = await KubeSimServer.StartAsync();
        var ca = Path.Combine(_work.FullName, "ca.pem");
        File.WriteAllText(ca, sim.CaPem);

        var sample = TlsProbe.Build(_work.FullName).Connect(sim.Port, ca);

        Assert.StartsWith("OpenSSL 3.", sample.OpenSsl, StringComparison.Ordinal);
        Assert.All([sample.InitMs, sample.ContextMs, sample.TrustMs, sample.HandshakeMs], ms => Assert.True(ms > 0));
    }

    [Fact]
    public async Task Connect_TrustingAnotherCa_HandshakeRefused()
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var stranger = new CertificateRequest("CN=not the simulator", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var ca = Path.Combine(_work.FullName, "stranger.pem");
        File.WriteAllText(ca, stranger.ExportCertificatePem());

        var probe = TlsProbe.Build(_work.FullName);

        var error = Assert.Throws<InvalidOperationException>(() => probe.Connect(sim.Port, ca));
        Assert.Contains("exit code 1", error.Message, StringComparison.Ordinal);
    }
}
