using System.Text.Json.Nodes;
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

    public required List<CachedAttachment> Attachments { get; init; }
}

internal sealed record CachedAttachment
{
    public required string Network { get; init; }

    public required string IfName { get; init; }

    public required JsonObject Conf { get; init; }

    public JsonObject? CapabilityArgs { get; init; }

    /// <summary>The NPWG device-info file to remove on DEL.</summary>
    public string? DeviceInfoFile { get; init; }

    public static CachedAttachment From(Attachment attachment) => new()
    {
        Network = attachment.Network,
        IfName = attachment.IfName,
        Conf = attachment.Conf,
        CapabilityArgs = attachment.CapabilityArgs,
        DeviceInfoFile = attachment.DeviceInfoFile,
    };

    public Attachment ToAttachment(int index) => new()
    {
        Index = index,
        Network = Network,
        IfName = IfName,
        Conf = Conf,
        CapabilityArgs = CapabilityArgs,
        DeviceInfoFile = DeviceInfoFile,
    };
}
