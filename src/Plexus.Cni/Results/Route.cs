
namespace Plexus.Cni.Results;

/// <summary>
/// A route. <c>dst</c>/<c>gw</c> exist in every version; <c>mtu</c>, <c>advmss</c>, <c>priority</c>,
/// <c>table</c> and <c>scope</c> are 1.1.0 additions that libcni keeps when converting between
/// 0.3.x–1.1.0 (one shared route type) and drops only when converting to 0.1.0/0.2.0.
/// </summary>
public sealed record Route
{
    public required string Dst { get; init; }

    public string? Gw { get; init; }

    public int? Mtu { get; init; }

    public int? AdvMss { get; init; }

    public int? Priority { get; init; }

    public int? Table { get; init; }

    public int? Scope { get; init; }

    /// <summary>Only the fields 0.1.0/0.2.0 know.</summary>
    internal Route ToV020() => new() { Dst = Dst, Gw = Gw };

    internal void Validate(string field)
    {
        IpText.RequireCidr(Dst, field + ".dst");
        IpText.RequireIpOrNull(Gw, field + ".gw");
    }
}
