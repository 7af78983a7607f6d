using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Plexus.Core.Selection;

/// <summary>
/// One element of the <c>k8s.v1.cni.cncf.io/networks</c> annotation (NPWG network selection
/// element). The comma form fills only name, namespace and interface. After parsing,
/// <see cref="Namespace"/> is always set.
/// </summary>
internal sealed record NetworkSelection
{
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("namespace")]
    public string? Namespace { get; init; }

    [JsonPropertyName("interface")]
    public string? Interface { get; init; }

    /// <summary>Older spelling of <see cref="Interface"/> still found in the wild.</summary>
    [JsonPropertyName("interfaceRequest")]
    public string? InterfaceRequest { get; init; }

    [JsonPropertyName("ips")]
    public List<string>? Ips { get; init; }

    [JsonPropertyName("mac")]
    public string? Mac { get; init; }

    [JsonPropertyName("default-route")]
    public List<string>? DefaultRoute { get; init; }

    [JsonPropertyName("portMappings")]
    public List<PortMapping>? PortMappings { get; init; }

    [JsonPropertyName("bandwidth")]
    public Bandwidth? Bandwidth { get; init; }

    /// <summary>Merged into each delegate plugin's <c>args.cni</c>; these values win.</summary>
    [JsonPropertyName("cni-args")]
    public JsonObject? CniArgs { get; init; }

    [JsonPropertyName("infiniband-guid")]
    public string? InfinibandGuid { get; init; }

    [JsonPropertyName("deviceID")]
    public string? DeviceId { get; init; }

    [JsonPropertyName("ipam-claim-reference")]
    public string? IpamClaimReference { get; init; }

    /// <summary>The requested interface name, whichever key carried it.</summary>
    [JsonIgnore]
    public string? RequestedInterface => string.IsNullOrEmpty(Interface) ? NullIfEmpty(InterfaceRequest) : Interface;

    /// <summary><c>namespace/name</c>, as network-status and errors name the network.</summary>
    [JsonIgnore]
    public string QualifiedName => $"{Namespace}/{Name}";

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}

/// <summary>A port mapping as the <c>portMappings</c> capability carries it.</summary>
internal sealed record PortMapping
{
    [JsonPropertyName("hostPort")]
    public int HostPort { get; init; }

    [JsonPropertyName("containerPort")]
    public int ContainerPort { get; init; }

    [JsonPropertyName("protocol")]
    public string? Protocol { get; init; }

    [JsonPropertyName("hostIP")]
    public string? HostIp { get; init; }
}

/// <summary>Traffic shaping as the <c>bandwidth</c> capability carries it (bits per second, bits).</summary>
internal sealed record Bandwidth
{
    [JsonPropertyName("ingressRate")]
    public long IngressRate { get; init; }

    [JsonPropertyName("ingressBurst")]
    public long IngressBurst { get; init; }

    [JsonPropertyName("egressRate")]
    public long EgressRate { get; init; }

    [JsonPropertyName("egressBurst")]
    public long EgressBurst { get; init; }
}
