using System.Net;
using k8s.Autorest;
using Plexus.Cni;

namespace Plexus.Kube;

/// <summary>
/// The one place where API failures are classified: expected statuses become values for the
/// callers; everything else becomes a code-11 error (the runtime retries) saying what failed.
/// </summary>
internal static class KubeFailures
{
    public static HttpStatusCode? StatusOf(Exception e) =>
        e is HttpOperationException { Response: { } response } ? response.StatusCode : null;

    public static bool IsTransportOrServer(Exception e) =>
        e is HttpOperationException or HttpRequestException or TaskCanceledException or IOException;

    public static CniException ToCniError(Exception e, string what)
    {
        var status = StatusOf(e);
        var detail = status is { } code ? $"API server answered {(int)code} {code}" : e.Message;
        return new CniException(
            CniErrorCode.TryAgainLater,
            $"{what}: {detail}",
            "check that the API server is reachable with the kubeconfig or service account Plexus uses, and its RBAC",
            e);
    }
}
