using Plexus.Core.Selection;

namespace Plexus.Core.Planning;

/// <summary>
/// The networks a pod asks for, before resolution: an optional replacement of the cluster
/// network (default-network annotation), then the extra networks in attachment order: the
/// config's defaultNetworks (names the admin gave, found like clusterNetwork), then the
/// networks annotation's selections.
/// </summary>
internal sealed record PodSelections(NetworkSelection? ClusterNetworkOverride, IReadOnlyList<string> DefaultNetworks, IReadOnlyList<NetworkSelection> Requested)
{
    public static PodSelections None { get; } = new(null, [], []);

    public bool HasExtra => DefaultNetworks.Count + Requested.Count > 0;
}
