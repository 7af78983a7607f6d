
namespace Plexus.Cni.Results;

/// <summary>
/// An interface of a 0.3.0–1.1.0 result. <c>mtu</c>, <c>socketPath</c> and <c>pciID</c> exist from
/// 1.1.0 on (kept between 1.0.0 and 1.1.0 like libcni, dropped when converting to 0.3.x/0.4.0).
/// </summary>
public sealed record Interface
{
    public required string Name { get; init; }

    public string? Mac { get; init; }

    public int? Mtu { get; init; }

    public string? Sandbox { get; init; }

    public string? SocketPath { get; init; }

    public string? PciId { get; init; }

    /// <summary>Only the fields 0.3.x/0.4.0 know.</summary>
    internal Interface ToV040() => new() { Name = Name, Mac = Mac, Sandbox = Sandbox };
}
