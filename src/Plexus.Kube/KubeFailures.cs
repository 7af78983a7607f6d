using System.Net;
using Plexus.Cni;

namespace Plexus.Kube;

/// <summary>
/// The one place where API failures are classified: expected statuses become values for the
/// callers; everything else becomes a code-11 error (the runtime retries) saying what failed, but for a proxy that
/// refused the kubeconfig's credentials.
/// </summary>
internal static class KubeFailures
{
    public static HttpStatusCode? StatusOf(Exception e) => (e as KubeStatusException)?.Status;

    public static bool IsTransportOrServer(Exception e) =>
        e is KubeStatusException or HttpRequestException or TaskCanceledException or IOException or System.Text.Json.JsonException;

    /// <remarks>
    /// A proxy-url's credentials missing or refused (<see cref="ProxyCredentialsException"/>) are a kubeconfig error, coded
    /// as its other unusable credentials (client certificate, exec plugin): retrying cannot help.
    /// </remarks>
    public static CniException ToCniError(Exception e, string what) => e is ProxyCredentialsException
        ? new(CniErrorCode.InvalidNetworkConfig, $"{what}: {e.Message}",
            "fix the user-info of the proxy-url in the kubeconfig Plexus uses, or ask the proxy's operator which credentials it accepts", e)
        : new(CniErrorCode.TryAgainLater, $"{what}: {e.Message}",
            "check that the API server is reachable with the kubeconfig or service account Plexus uses, and its RBAC", e);
}
