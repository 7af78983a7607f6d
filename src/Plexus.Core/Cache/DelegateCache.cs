using System.Text.Json.Nodes;
using Plexus.Cni.Json;
using Plexus.Core.Planning;

namespace Plexus.Core.Cache;

/// <summary>
/// What ADD saves to <c>&lt;cniDir&gt;/&lt;containerID&gt;</c> before running any delegate: every
/// attachment with its exact config and capability args, so DEL can undo them without the API
/// server, the NADs or the pod. Its JSON: <see cref="DelegateCacheCodec"/>.
/// </summary>
internal sealed record DelegateCache
{
    public const string CurrentKind = "plexusDelegateCacheV1";

    public string Kind { get; init; } = CurrentKind;

    public required string ContainerId { get; init; }

    public string? Netns { get; init; }

    public string? CniVersion { get; init; }

    public string? PodNamespace { get; init; }

    public string? PodName { get; init; }

    public string? PodUid { get; init; }

    /// <summary>In attachment order; as the pod's ADD saves them, the cluster network first (what a failed DEL keeps may lack it).</summary>
    public required List<CachedAttachment> Attachments { get; init; }

    /// <summary>
    /// The cache with <paramref name="hotPlugged"/> as its last attachment, replacing any earlier record of it
    /// (<see cref="Without"/>). A hot-plugged network is never the pod's cluster network, whatever position it was planned at.
    /// </summary>
    public DelegateCache WithHotPlugged(Attachment hotPlugged)
    {
        var rest = Without(hotPlugged);
        return rest with { Attachments = [.. rest.Attachments, CachedAttachment.From(hotPlugged) with { ClusterNetwork = false }] };
    }

    /// <summary>
    /// The cache without the attachment an unplug of <paramref name="unplugged"/> detached: the same conf name on the same
    /// interface (<see cref="Attachment.IsCachedAs"/>), whether the pod's ADD recorded it (by its NAD's
    /// <c>namespace/name</c>) or a hot-plug did; the same cache when it has none. Every such record goes (there is one
    /// result cache per conf name and interface, so they all name the attachment just detached). The cluster network
    /// (<see cref="CachedAttachment.IsClusterNetworkAt"/>) is never taken out.
    /// The others keep their interfaces, each recorded by name, so a later <c>net&lt;index&gt;</c> stays what it was.
    /// </summary>
    public DelegateCache Without(Attachment unplugged)
    {
        var rest = Attachments.Where((cached, index) => cached.IsClusterNetworkAt(index) || !unplugged.IsCachedAs(cached.ConfName, cached.IfName)).ToList();
        return rest.Count == Attachments.Count ? this : this with { Attachments = rest };
    }
}

internal sealed record CachedAttachment
{
    public required string Network { get; init; }

    public required string IfName { get; init; }

    public required JsonObject Conf { get; init; }

    public JsonObject? CapabilityArgs { get; init; }

    /// <summary>The NPWG device-info file to remove on DEL.</summary>
    public string? DeviceInfoFile { get; init; }

    /// <summary>
    /// Whether this is the pod's cluster network, recorded with every attachment: what a failed DEL keeps
    /// (retryDeleteOnError) may start with any network. Null in a cache written before it was recorded; see <see cref="IsClusterNetworkAt"/>.
    /// </summary>
    public bool? ClusterNetwork { get; init; }

    /// <summary>The conf's own name (libcni's network name).</summary>
    public string? ConfName => JsonScalars.String(Conf["name"]);

    /// <summary>Whether this attachment, at <paramref name="index"/> of its cache, is the cluster network: as recorded, else (an older cache) the first one.</summary>
    public bool IsClusterNetworkAt(int index) => ClusterNetwork ?? index == 0;

    public static CachedAttachment From(Attachment attachment) => new()
    {
        Network = attachment.Network,
        IfName = attachment.IfName,
        Conf = attachment.Conf,
        CapabilityArgs = attachment.CapabilityArgs,
        DeviceInfoFile = attachment.DeviceInfoFile,
        ClusterNetwork = attachment.IsClusterNetwork,
    };

    public Attachment ToAttachment(int index) => new()
    {
        Index = index,
        Network = Network,
        IfName = IfName,
        Conf = Conf,
        CapabilityArgs = CapabilityArgs,
        DeviceInfoFile = DeviceInfoFile,
        IsClusterNetwork = IsClusterNetworkAt(index),
    };
}
