using Plexus.Daemon.Caches;

namespace Plexus.Daemon.Tests.Testing;

/// <summary>The caches' API port over the simulator's authenticated HttpClient.</summary>
internal sealed class SimKubeApi(HttpClient http) : IKubeApi
{
    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
}
