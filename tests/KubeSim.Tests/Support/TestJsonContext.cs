using System.Text.Json.Serialization;
using k8s.Models;

namespace Plexus.KubeSim.Tests.Support;

internal sealed record NetworkAttachmentDefinition
{
    [JsonPropertyName("apiVersion")] public string? ApiVersion { get; init; }
    [JsonPropertyName("kind")] public string? Kind { get; init; }
    [JsonPropertyName("metadata")] public V1ObjectMeta? Metadata { get; init; }
    [JsonPropertyName("spec")] public NetworkAttachmentDefinitionSpec? Spec { get; init; }
}

internal sealed record NetworkAttachmentDefinitionSpec
{
    [JsonPropertyName("config")] public string? Config { get; init; }
}

internal sealed record NetworkAttachmentDefinitionList
{
    [JsonPropertyName("metadata")] public V1ListMeta? Metadata { get; init; }
    [JsonPropertyName("items")] public List<NetworkAttachmentDefinition> Items { get; init; } = [];
}

/// <summary>One watch line: the object stays raw until the type says what it is.</summary>
internal sealed record WatchLine
{
    [JsonPropertyName("type")] public string Type { get; init; } = "";
    [JsonPropertyName("object")] public System.Text.Json.JsonElement Object { get; init; }
}

[JsonSerializable(typeof(NetworkAttachmentDefinition))]
[JsonSerializable(typeof(NetworkAttachmentDefinitionList))]
[JsonSerializable(typeof(WatchLine))]
internal sealed partial class TestJsonContext : JsonSerializerContext;
