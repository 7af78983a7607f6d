using System.Text.Json.Nodes;
using Plexus.Cni.Json;

namespace Plexus.Cni.Results;

/// <summary>
/// A 1.0.0/1.1.0 result (one shape, as in libcni): no ips[].version; 1.1.0 adds interface
/// mtu/socketPath/pciID and route mtu/advmss/priority/table/scope. Converting between 1.0.0 and
/// 1.1.0 only changes the version, exactly like libcni.
/// </summary>
public sealed record Result100 : CniResult
{
    public IReadOnlyList<Interface> Interfaces { get => field ?? []; init; }

    public IReadOnlyList<IpConfig> Ips { get => field ?? []; init; }

    public IReadOnlyList<Route> Routes { get => field ?? []; init; }

    public Dns Dns { get => field ?? Dns.Empty; init; }

    internal override ResultFamily Family => ResultFamily.V100;

    internal override Result040 ToV040(CniVersion target) => new()
    {
        Version = target,
        Interfaces = Interfaces.Select(i => i.ToV040()).ToList(),
        Ips = Ips.Select(ip => ip with { Version = IpText.FamilyOfCidr(ip.Address) }).ToList(),
        Routes = Routes,
        Dns = Dns,
    };

    internal static Result100 FromV040(Result040 from, CniVersion target) => new()
    {
        Version = target,
        Interfaces = from.Interfaces,
        Ips = from.Ips.Select(ip => ip with { Version = null }).ToList(),
        Routes = from.Routes,
        Dns = from.Dns,
    };

    internal static Result100 From(ResultParts parts) => new() { Interfaces = parts.Interfaces, Ips = parts.Ips, Routes = parts.Routes, Dns = parts.Dns };

    /// <summary>1.0.0 dropped ips[].version; a stray one is not part of this shape.</summary>
    internal Result100 Normalize() => this with { Ips = Ips.Select(ip => ip with { Version = null }).ToList() };

    private protected override JsonObject SerializeBody() => ResultParts.Write(Interfaces, Ips, Routes, Dns);

    private protected override void Validate() => ResultValidation.Validate(Ips, Routes);
}
