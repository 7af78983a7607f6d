using System.Text.Json.Nodes;

namespace Plexus.Core.Status;

/// <summary>
/// One element of the <c>k8s.v1.cni.cncf.io/network-status</c> annotation, shaped as the NPWG
/// spec and Multus write it (<c>dns</c> always present, <c>default</c> only when true), plus
/// <c>gateway</c> and <c>mtu</c> that existing consumers read. Written by <see cref="NetworkStatusWriter"/>.
/// </summary>
internal sealed record NetworkStatus
{
    public required string Name { get; init; }

    public string? Interface { get; init; }

    public List<string>? Ips { get; init; }

    public string? Mac { get; init; }

    public int Mtu { get; init; }

    public bool Default { get; init; }

    public NetworkStatusDns Dns { get; init; } = new();

    public JsonObject? DeviceInfo { get; init; }

    public List<string>? Gateway { get; init; }
}

internal sealed record NetworkStatusDns
{
    public List<string>? Nameservers { get; init; }

    public string? Domain { get; init; }

    public List<string>? Search { get; init; }

    public List<string>? Options { get; init; }
}
