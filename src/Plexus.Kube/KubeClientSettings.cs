using k8s;

namespace Plexus.Kube;

/// <summary>
/// How to reach the API server: the client library's configuration (server, credentials, TLS) and what it has no
/// field for.
/// </summary>
/// <param name="Proxy">The cluster's <c>proxy-url</c>; null: the HTTPS_PROXY/NO_PROXY environment decides.</param>
/// <param name="CredentialExpiry">When the exec credential plugin said its credential stops working; null: no stated end.</param>
internal sealed record KubeClientSettings(KubernetesClientConfiguration Client, KubeProxy? Proxy = null, DateTimeOffset? CredentialExpiry = null);
