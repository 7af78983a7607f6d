using k8s;

namespace Plexus.Kube;

/// <summary>
/// Authenticated raw requests for what the AOT client lacks (watch streams, used by plexusd's caches):
/// the client's own HttpClient, base URI and credentials, one long-lived connection pool.
/// </summary>
public sealed class KubeRawApi : IDisposable
{
    private readonly Kubernetes _client;

    private KubeRawApi(Kubernetes client) => _client = client;

    /// <summary>Same sources as <see cref="KubeConnection.TryCreate"/>; null when there is no API server to talk to.</summary>
    public static KubeRawApi? TryCreate(string? kubeconfigPath, Func<string, string?> getEnvironmentVariable,
        string serviceAccountDir = KubeConnection.DefaultServiceAccountDir)
    {
        var config = !string.IsNullOrEmpty(kubeconfigPath)
            ? KubeConnection.FromKubeconfig(kubeconfigPath)
            : KubeConnection.FromInCluster(getEnvironmentVariable, serviceAccountDir);
        // The client's timeout covers only the response headers here (ResponseHeadersRead), so watch bodies may stream for minutes.
        return config is null ? null : new KubeRawApi(new Kubernetes(config));
    }

    /// <summary>Sends a request with a relative URI; returns once the headers are in so watch bodies stream.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Relative to the base (which may carry a path prefix behind a proxy), not to the host root.
        var baseUri = _client.BaseUri.OriginalString.TrimEnd('/') + "/";
        request.RequestUri = new Uri(new Uri(baseUri), request.RequestUri!.OriginalString.TrimStart('/'));
        if (_client.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
        }
        return await _client.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _client.Dispose();
}
