using System.Text.Json.Serialization;

namespace Plexus.Cni;

/// <summary>The spec's error JSON: <c>{"cniVersion","code","msg","details"}</c>.</summary>
internal sealed record CniErrorWire
{
    [JsonPropertyName("cniVersion")]
    public string? CniVersion { get; init; }

    [JsonPropertyName("code")]
    public int Code { get; init; }

    [JsonPropertyName("msg")]
    public string Msg { get; init; } = "";

    [JsonPropertyName("details")]
    public string? Details { get; init; }
}
