using Plexus.Core.Selection;

namespace Plexus.Core.Planning;

/// <summary>
/// The networks a pod asks for, before resolution: an optional replacement of the cluster
/// network (default-network annotation) and the extra networks in attachment order
/// (the config's defaultNetworks, then the networks annotation).
/// </summary>
internal sealed record PodSelections(NetworkSelection? ClusterNetworkOverride, IReadOnlyList<NetworkSelection> Extra)
{
    public static PodSelections None { get; } = new(null, []);
}
