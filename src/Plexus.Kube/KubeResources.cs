using System.Text.Json.Serialization;

namespace Plexus.Kube;

// The wire shapes of the few API objects Plexus touches, reduced to the fields it reads or writes: the live
// client here and plexusd's list+watch caches (deserialising into these skips spec, status and managedFields
// without materialising them). Everything is nullable: a watch BOOKMARK's object carries only a resourceVersion.

internal sealed record ObjectMeta
{
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("namespace")]
    public string? Namespace { get; init; }

    [JsonPropertyName("uid")]
    public string? Uid { get; init; }

    [JsonPropertyName("resourceVersion")]
    public string? ResourceVersion { get; init; }

    [JsonPropertyName("annotations")]
    public Dictionary<string, string>? Annotations { get; init; }
}

/// <summary>A pod as Plexus reads it: its uid and annotations.</summary>
internal sealed record PodResource
{
    [JsonPropertyName("metadata")]
    public ObjectMeta? Metadata { get; init; }
}

/// <summary>A NetworkAttachmentDefinition (<c>k8s.cni.cncf.io/v1</c>): metadata and <c>spec.config</c>.</summary>
internal sealed record NadResource
{
    [JsonPropertyName("metadata")]
    public ObjectMeta? Metadata { get; init; }

    [JsonPropertyName("spec")]
    public NadSpec? Spec { get; init; }
}

internal sealed record NadSpec
{
    [JsonPropertyName("config")]
    public string? Config { get; init; }
}

/// <summary>A core/v1 Event as the kubelet's recorder writes it.</summary>
internal sealed record EventResource
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; init; } = "v1";

    [JsonPropertyName("kind")]
    public string Kind { get; init; } = "Event";

    [JsonPropertyName("metadata")]
    public required ObjectMeta Metadata { get; init; }

    [JsonPropertyName("involvedObject")]
    public required ObjectReference InvolvedObject { get; init; }

    [JsonPropertyName("reason")]
    public required string Reason { get; init; }

    [JsonPropertyName("message")]
    public required string Message { get; init; }

    [JsonPropertyName("type")]
    public required string Type { get; init; }

    [JsonPropertyName("source")]
    public required EventSource Source { get; init; }

    [JsonPropertyName("reportingComponent")]
    public required string ReportingComponent { get; init; }

    [JsonPropertyName("firstTimestamp")]
    public required string FirstTimestamp { get; init; }

    [JsonPropertyName("lastTimestamp")]
    public required string LastTimestamp { get; init; }

    [JsonPropertyName("count")]
    public int Count { get; init; } = 1;
}

internal sealed record ObjectReference
{
    [JsonPropertyName("kind")]
    public required string Kind { get; init; }

    [JsonPropertyName("apiVersion")]
    public required string ApiVersion { get; init; }

    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("namespace")]
    public required string Namespace { get; init; }

    [JsonPropertyName("uid")]
    public string? Uid { get; init; }
}

internal sealed record EventSource
{
    [JsonPropertyName("component")]
    public required string Component { get; init; }
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
