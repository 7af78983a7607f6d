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
}
