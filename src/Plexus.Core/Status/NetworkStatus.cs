using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Plexus.Core.Status;

/// <summary>
/// One element of the <c>k8s.v1.cni.cncf.io/network-status</c> annotation, shaped as the NPWG
/// spec and Multus write it (<c>dns</c> always present, <c>default</c> only when true), plus
/// <c>gateway</c> and <c>mtu</c> that existing consumers read.
/// </summary>
internal sealed record NetworkStatus
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("interface")]
    public string? Interface { get; init; }

    [JsonPropertyName("ips")]
    public List<string>? Ips { get; init; }

    [JsonPropertyName("mac")]
    public string? Mac { get; init; }

    [JsonPropertyName("mtu")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Mtu { get; init; }

    [JsonPropertyName("default")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Default { get; init; }

    [JsonPropertyName("dns")]
    public NetworkStatusDns Dns { get; init; } = new();

    [JsonPropertyName("device-info")]
    public JsonObject? DeviceInfo { get; init; }

    [JsonPropertyName("gateway")]
    public List<string>? Gateway { get; init; }
}

internal sealed record NetworkStatusDns
{
    [JsonPropertyName("nameservers")]
    public List<string>? Nameservers { get; init; }

    [JsonPropertyName("domain")]
    public string? Domain { get; init; }

    [JsonPropertyName("search")]
    public List<string>? Search { get; init; }

    [JsonPropertyName("options")]
    public List<string>? Options { get; init; }
}
