using System.Text.Json.Nodes;

namespace Plexus.Cni.Invoke;

/// <summary>What the runtime knows about one attachment: libcni's <c>RuntimeConf</c>.</summary>
public sealed record RuntimeConf
{
    public required string ContainerId { get; init; }

    /// <summary>CNI_NETNS; may be null on DEL when the namespace is already gone.</summary>
    public string? NetnsPath { get; init; }

    public required string IfName { get; init; }

    public CniArgs Args { get; init; } = CniArgs.Empty;

    /// <summary>Capability args (portMappings, ips, mac…); each plugin sees those it declares in <c>capabilities</c>.</summary>
    public IReadOnlyDictionary<string, JsonNode?> CapabilityArgs { get; init; } = new Dictionary<string, JsonNode?>();
}
