using System.Text.Json;
using System.Text.Json.Serialization;

namespace Plexus.Daemon.Caches;

// Only the fields Plexus reads: deserialising into these skips everything else (spec, status, managedFields)
// without materialising it, which is what keeps a 10,000-pod cache small.

internal sealed record ObjectMetaWire
{
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("namespace")]
    public string Namespace { get; init; } = "";

    [JsonPropertyName("uid")]
    public string? Uid { get; init; }

    [JsonPropertyName("resourceVersion")]
    public string? ResourceVersion { get; init; }

    [JsonPropertyName("annotations")]
    public Dictionary<string, string>? Annotations { get; init; }
}

internal sealed record PodWire
{
    [JsonPropertyName("metadata")]
    public ObjectMetaWire Metadata { get; init; } = new();
}

internal sealed record NadWire
{
    [JsonPropertyName("metadata")]
    public ObjectMetaWire Metadata { get; init; } = new();

    [JsonPropertyName("spec")]
    public NadSpecWire? Spec { get; init; }
}

internal sealed record NadSpecWire
{
    [JsonPropertyName("config")]
    public string? Config { get; init; }
}

internal sealed record ListMetaWire
{
    [JsonPropertyName("resourceVersion")]
    public string? ResourceVersion { get; init; }

    [JsonPropertyName("continue")]
    public string? Continue { get; init; }
}

internal sealed record ListWire<T>
{
    [JsonPropertyName("metadata")]
    public ListMetaWire Metadata { get; init; } = new();

    [JsonPropertyName("items")]
    public List<T> Items { get; init; } = [];
}

/// <summary>One line of a watch stream; <see cref="Object"/> is decoded once the type is known.</summary>
internal sealed record WatchEventWire
{
    [JsonPropertyName("type")]
    public string Type { get; init; } = "";

    [JsonPropertyName("object")]
    public JsonElement Object { get; init; }
}

/// <summary>A <c>Status</c> (watch ERROR events and failed requests).</summary>
internal sealed record StatusWire
{
    [JsonPropertyName("code")]
    public int Code { get; init; }

    [JsonPropertyName("reason")]
    public string? Reason { get; init; }

    [JsonPropertyName("message")]
    public string? Message { get; init; }
}
