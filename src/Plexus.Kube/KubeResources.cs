using System.Text.Json.Serialization;

namespace Plexus.Kube;

// The API objects Plexus reads, reduced to the fields it uses, for the live client here and plexusd's list+watch
// caches: KubeObjectReader fills them and skips everything else (spec, status, managedFields) without materialising
// it. Everything is nullable: a watch BOOKMARK's object carries only a resourceVersion.

internal sealed record ObjectMeta
{
    public string? Name { get; init; }

    public string? Namespace { get; init; }

    public string? Uid { get; init; }

    public string? ResourceVersion { get; init; }

    public Dictionary<string, string>? Annotations { get; init; }
}

/// <summary>A pod as Plexus reads it: its uid and annotations.</summary>
[JsonConverter(typeof(PodResourceConverter))]
internal sealed record PodResource
{
    public ObjectMeta? Metadata { get; init; }
}

/// <summary>A NetworkAttachmentDefinition (<c>k8s.cni.cncf.io/v1</c>): metadata and <c>spec.config</c>.</summary>
[JsonConverter(typeof(NadResourceConverter))]
internal sealed record NadResource
{
    public ObjectMeta? Metadata { get; init; }

    public NadSpec? Spec { get; init; }
}

internal sealed record NadSpec
{
    public string? Config { get; init; }
}

/// <summary>The Status object the API server answers failures with (also a watch's ERROR event).</summary>
internal sealed record KubeStatus
{
    [JsonPropertyName("code")]
    public int Code { get; init; }

    [JsonPropertyName("reason")]
    public string? Reason { get; init; }

    [JsonPropertyName("message")]
    public string? Message { get; init; }
}
