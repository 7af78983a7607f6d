using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Plexus.Testing;

/// <summary>Throwaway certificates for configs that must hold a real one (a service-account CA, a client certificate).</summary>
public static class TestCertificates
{
    /// <summary>A fresh self-signed ECDSA certificate and its key, both PEM.</summary>
    public static (string Certificate, string Key) SelfSignedPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=plexus-test", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
        return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }
}
