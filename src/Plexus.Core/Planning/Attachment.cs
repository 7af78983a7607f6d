using System.Text.Json.Nodes;
using Plexus.Cni.Json;

namespace Plexus.Core.Planning;

/// <summary>
/// One delegate run for a pod: which network, on which interface, with which exact config
/// and capability args. Index 0 is the cluster network unless <see cref="IsClusterNetwork"/> says otherwise.
/// </summary>
internal sealed record Attachment
{
    private readonly bool? clusterNetwork;

    public required int Index { get; init; }

    /// <summary><c>namespace/name</c> for a NAD, the conf name for a static delegate.</summary>
    public required string Network { get; init; }

    public required string IfName { get; init; }

    /// <summary>The conf or conflist to run, with name, device id and <c>args.cni</c> applied.</summary>
    public required JsonObject Conf { get; init; }

    /// <summary>Capability args (libcni's CapabilityArgs); each plugin gets those it declares.</summary>
    public JsonObject? CapabilityArgs { get; init; }

    /// <summary>The device-plugin resource whose device <see cref="DeviceId"/> is, when the NAD names one.</summary>
    public string? ResourceName { get; init; }

    /// <summary>The device handed to the delegate (from the kubelet for a resource, else the selection's <c>deviceID</c>).</summary>
    public string? DeviceId { get; init; }

    /// <summary>The NPWG device-info file of this attachment (set when it has a device).</summary>
    public string? DeviceInfoFile { get; init; }

    /// <summary>Gateways from the selection's <c>default-route</c>.</summary>
    public IReadOnlyList<string> DefaultRouteGateways { get; init; } = [];

    /// <summary>
    /// Whether this is the pod's cluster network: the first attachment, as the planner and Multus's cache lay them out,
    /// unless set otherwise. A delegate cache says it for each attachment it read back, since what a failed DEL keeps
    /// (retryDeleteOnError) may start with any network.
    /// </summary>
    public bool IsClusterNetwork
    {
        get => clusterNetwork ?? Index == 0;
        init => clusterNetwork = value;
    }

    /// <summary>
    /// Whether a cached attachment with conf name <paramref name="confName"/> on <paramref name="ifName"/> is this one, as an
    /// unplug finds it: by the conf's own name (libcni's network name, which with the interface keys the result cache),
    /// never by <see cref="Network"/>, which is <c>namespace/name</c> for a NAD the pod selected while an unplug carries
    /// only the network's config.
    /// </summary>
    public bool IsCachedAs(string? confName, string ifName) => ifName == IfName && confName == JsonScalars.String(Conf["name"]);
}

/// <summary>A resolved network with the selection that asked for it (null for static delegates).</summary>
internal sealed record NetworkRequest(DelegateNetwork Network, Selection.NetworkSelection? Selection);
