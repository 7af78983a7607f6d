using Plexus.Cni;
using Plexus.Core.Ports;

namespace Plexus.Core.Service;

/// <summary>The pod a Kubernetes runtime names in CNI_ARGS (<c>K8S_POD_NAMESPACE</c>, <c>K8S_POD_NAME</c>, <c>K8S_POD_UID</c>).</summary>
internal sealed record PodIdentity(PodRef Ref, string? Uid)
{
    public static PodIdentity? From(CniArgs args) =>
        args.Get("K8S_POD_NAMESPACE") is { Length: > 0 } ns && args.Get("K8S_POD_NAME") is { Length: > 0 } name
            ? new PodIdentity(new PodRef(ns, name), args.Get("K8S_POD_UID") is { Length: > 0 } uid ? uid : null)
            : null;

    /// <summary>
    /// Why CNI_ARGS name no pod, for the log: podman passes K8S_POD_NAME without a namespace,
    /// plain libcni callers pass neither. Null when a pod is named.
    /// </summary>
    public static string? MissingReason(CniArgs args) =>
        (args.Get("K8S_POD_NAMESPACE") is { Length: > 0 }, args.Get("K8S_POD_NAME") is { Length: > 0 } name ? name : null) switch
        {
            (true, not null) => null,
            (false, { } podName) => $"CNI_ARGS name pod \"{podName}\" without K8S_POD_NAMESPACE (podman does this): " +
                "attaching the static networks only, no Kubernetes lookup",
            _ => "CNI_ARGS name no pod (K8S_POD_NAMESPACE/K8S_POD_NAME): attaching the static networks only, no Kubernetes lookup",
        };
}
