using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

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

    /// <summary>
    /// This page, once it has what every list answer has: metadata, and items none of which is <c>null</c>. Otherwise it
    /// is as unreadable as broken JSON. (The serializer sets a missing init-only property to null, initializer or not.)
    /// </summary>
    public ListWire<T> Checked(string resource) =>
        Metadata is null ? throw new JsonException($"a list of {resource} without metadata")
        : Items is null ? throw new JsonException($"a list of {resource} without items")
        : Items.Contains(default!) ? throw new JsonException($"a list of {resource} with a null item")
        : this;
}

/// <summary>One line of a watch stream; <see cref="Object"/> is decoded once the type is known.</summary>
internal sealed record WatchEventWire
{
    [JsonPropertyName("type")]
    public string Type { get; init; } = "";

    [JsonPropertyName("object")]
    public JsonElement Object { get; init; }

    /// <summary>
    /// The event's object as <typeparamref name="T"/>. An event without one (or with <c>null</c>, or another JSON
    /// type) is as unreadable as broken JSON: the watch is restarted, not the daemon.
    /// </summary>
    public T ObjectAs<T>(JsonTypeInfo<T> type) =>
        Object.ValueKind == JsonValueKind.Object
            ? Object.Deserialize(type)!
            : throw new JsonException($"a watch event of type \"{Type}\" without an object");
}
