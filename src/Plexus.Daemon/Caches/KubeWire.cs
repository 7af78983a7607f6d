using System.Text.Json;
using System.Text.Json.Serialization;

namespace Plexus.Daemon.Caches;

// The list and watch envelopes; the objects inside are Plexus.Kube's wire records (PodResource, NadResource).

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
