using System.Text.Json.Serialization;

namespace Plexus.Cni.Skel;

/// <summary>The VERSION answer: <c>{"cniVersion","supportedVersions"}</c>.</summary>
public sealed record VersionInfo
{
    [JsonPropertyName("cniVersion")]
    public required string CniVersion { get; init; }

    [JsonPropertyName("supportedVersions")]
    public required IReadOnlyList<string> SupportedVersions { get; init; }
}
