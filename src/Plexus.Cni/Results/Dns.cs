using System.Text.Json.Serialization;

namespace Plexus.Cni.Results;

/// <summary>DNS settings of a result (every spec version).</summary>
public sealed record Dns
{
    public static Dns Empty { get; } = new();

    [JsonPropertyName("nameservers")]
    public IReadOnlyList<string> Nameservers { get => field ?? []; init; }

    [JsonPropertyName("domain")]
    public string? Domain { get; init; }

    [JsonPropertyName("search")]
    public IReadOnlyList<string> Search { get => field ?? []; init; }

    [JsonPropertyName("options")]
    public IReadOnlyList<string> Options { get => field ?? []; init; }

    [JsonIgnore]
    public bool IsEmpty => Nameservers.Count == 0 && string.IsNullOrEmpty(Domain) && Search.Count == 0 && Options.Count == 0;
}
