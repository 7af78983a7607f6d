namespace Plexus.Daemon.Caches;

/// <summary>
/// Raw, authenticated access to the API server for the list+watch caches (the AOT Kubernetes client has
/// no watch). Implemented in Plexus.Kube over the client's own HttpClient and credentials.
/// </summary>
public interface IKubeApi
{
    /// <summary>Sends <paramref name="request"/> (relative URI) and returns once the headers are in; the body may be a stream.</summary>
    Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken);

    /// <summary>When the credential it sends stops working (an exec plugin's short-lived token); null: no stated end.</summary>
    DateTimeOffset? CredentialExpiry => null;
}
