using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Plexus.Core.Planning;

namespace Plexus.Core.Cache;

/// <summary>
/// What ADD saves to <c>&lt;cniDir&gt;/&lt;containerID&gt;</c> before running any delegate: every
/// attachment with its exact config and capability args, so DEL can undo them without the API
/// server, the NADs or the pod.
/// </summary>
internal sealed record DelegateCache
{
    public const string CurrentKind = "plexusDelegateCacheV1";

    [JsonPropertyName("kind")]
    public string Kind { get; init; } = CurrentKind;

    [JsonPropertyName("containerId")]
    public required string ContainerId { get; init; }

    [JsonPropertyName("netns")]
    public string? Netns { get; init; }

    [JsonPropertyName("cniVersion")]
    public string? CniVersion { get; init; }

    [JsonPropertyName("podNamespace")]
    public string? PodNamespace { get; init; }

    [JsonPropertyName("podName")]
    public string? PodName { get; init; }

    [JsonPropertyName("podUid")]
    public string? PodUid { get; init; }

    [JsonPropertyName("attachments")]
    public required List<CachedAttachment> Attachments { get; init; }
}

internal sealed record CachedAttachment
{
    [JsonPropertyName("network")]
    public required string Network { get; init; }

    [JsonPropertyName("ifName")]
    public required string IfName { get; init; }

    [JsonPropertyName("conf")]
    public required JsonObject Conf { get; init; }

    [JsonPropertyName("capabilityArgs")]
    public JsonObject? CapabilityArgs { get; init; }

    /// <summary>The NPWG device-info file to remove on DEL.</summary>
    [JsonPropertyName("deviceInfoFile")]
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
