using System.Net;

namespace Plexus.Daemon.Caches;

/// <summary>The API server refused a list or watch; <see cref="Expired"/> (410) means "relist".</summary>
internal sealed class KubeApiException(HttpStatusCode status, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;

    public bool Expired => Status == HttpStatusCode.Gone;
}
