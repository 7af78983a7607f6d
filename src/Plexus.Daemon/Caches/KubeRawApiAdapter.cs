using Plexus.Kube;

namespace Plexus.Daemon.Caches;

/// <summary>The caches' API port over Plexus.Kube's authenticated raw client.</summary>
public sealed class KubeRawApiAdapter(KubeRawApi api) : IKubeApi
{
    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        api.SendAsync(request, cancellationToken);

    public DateTimeOffset? CredentialExpiry => api.CredentialExpiry;
}
