using System.Security.Cryptography.X509Certificates;
using k8s;

namespace Plexus.KubeSim.Tests.Support;

/// <summary>The official client (the AOT flavour Plexus uses) pointed at a simulator.</summary>
internal static class KubeClients
{
    static KubeClients()
    {
        // Custom resources need their own source-generated metadata ahead of the client's.
        KubernetesJson.AddJsonOptions(o => o.TypeInfoResolverChain.Insert(0, TestJsonContext.Default));
    }

    public static Kubernetes Create(KubeSimServer server, string? token = null) => new(new KubernetesClientConfiguration
    {
        Host = server.BaseUrl,
        AccessToken = token ?? server.Token,
        SslCaCerts = new X509Certificate2Collection(X509CertificateLoader.LoadCertificate(server.CaCertificate.RawData)),
    });

    public static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";
}
