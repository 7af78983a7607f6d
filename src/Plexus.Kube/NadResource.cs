using System.Text.Json.Serialization;

namespace Plexus.Kube;

/// <summary>The parts of a NetworkAttachmentDefinition object Plexus reads (metadata, spec.config).</summary>
internal sealed record NadResource
{
    [JsonPropertyName("metadata")]
    public NadMetadata? Metadata { get; init; }

    [JsonPropertyName("spec")]
    public NadSpec? Spec { get; init; }
}

internal sealed record NadMetadata
{
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("namespace")]
    public string? Namespace { get; init; }

    [JsonPropertyName("annotations")]
    public Dictionary<string, string>? Annotations { get; init; }
}

internal sealed record NadSpec
{
    [JsonPropertyName("config")]
    public string? Config { get; init; }
}
