
namespace Plexus.Cni.Results;

/// <summary>
/// An address of a 0.3.0–1.1.0 result. <see cref="Version"/> ("4"/"6") is written only for
/// 0.3.x/0.4.0; 1.0.0 dropped it, and converting back to 0.4.0 derives it from the address like libcni.
/// </summary>
public sealed record IpConfig
{
    public string? Version { get; init; }

    /// <summary>Index into the result's interfaces.</summary>
    public int? Interface { get; init; }

    public required string Address { get; init; }

    public string? Gateway { get; init; }

    internal void Validate(string field)
    {
        IpText.RequireCidr(Address, field + ".address");
        IpText.RequireIpOrNull(Gateway, field + ".gateway");
    }
}
