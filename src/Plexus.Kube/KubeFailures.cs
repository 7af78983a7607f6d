using System.Net;
using Plexus.Cni;

namespace Plexus.Kube;

/// <summary>
/// The one place where API failures are classified: expected statuses become values for the
/// callers; everything else becomes a code-11 error (the runtime retries) saying what failed.
/// </summary>
internal static class KubeFailures
{
    public static HttpStatusCode? StatusOf(Exception e) => (e as KubeStatusException)?.Status;

    public static bool IsTransportOrServer(Exception e) =>
        e is KubeStatusException or HttpRequestException or TaskCanceledException or IOException or System.Text.Json.JsonException;

    public static CniException ToCniError(Exception e, string what) => new(
        CniErrorCode.TryAgainLater,
        $"{what}: {e.Message}",
        "check that the API server is reachable with the kubeconfig or service account Plexus uses, and its RBAC",
        e);
}
