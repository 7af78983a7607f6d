using System.Text.Json.Nodes;
using Plexus.Cni.Json;

namespace Plexus.Cni.Results;

/// <summary>A 0.3.0/0.3.1/0.4.0 result: interfaces, ips (with version), routes, dns.</summary>
public sealed record Result040 : CniResult
{
    public IReadOnlyList<Interface> Interfaces { get => field ?? []; init; }

    public IReadOnlyList<IpConfig> Ips { get => field ?? []; init; }

    public IReadOnlyList<Route> Routes { get => field ?? []; init; }

    public Dns Dns { get => field ?? Dns.Empty; init; }

    internal override ResultFamily Family => ResultFamily.V040;

    internal override Result040 ToV040(CniVersion target) => this with { Version = target };

    /// <summary>
    /// libcni's 0.3+ → 0.1/0.2 rule: the first address of each family (by its <c>version</c>), the
    /// routes whose destination family has an address, and an error when no address is left.
    /// </summary>
    internal Result020 ToV020(CniVersion target, CniVersion source)
    {
        IpConfig020? ip4 = null;
        IpConfig020? ip6 = null;
        foreach (var ip in Ips)
        {
            var family = ip.Version ?? IpText.FamilyOfCidr(ip.Address);
            if (family == "4")
            {
                ip4 ??= new IpConfig020 { Ip = ip.Address, Gateway = ip.Gateway };
            }
            else if (family == "6")
            {
                ip6 ??= new IpConfig020 { Ip = ip.Address, Gateway = ip.Gateway };
            }
        }
        if (ip4 is null && ip6 is null)
        {
            throw new CniException(
                CniErrorCode.IncompatibleVersion,
                $"cannot convert result from {source} to {target}: no valid IP addresses",
                "0.1.0 and 0.2.0 results must carry at least one IP address");
        }
        var v4Routes = Routes.Where(r => IpText.FamilyOfCidr(r.Dst) == "4").Select(r => r.ToV020()).ToList();
        var v6Routes = Routes.Where(r => IpText.FamilyOfCidr(r.Dst) == "6").Select(r => r.ToV020()).ToList();
        return new Result020
        {
            Version = target,
            Ip4 = ip4 is null ? null : ip4 with { Routes = v4Routes },
            Ip6 = ip6 is null ? null : ip6 with { Routes = v6Routes },
            Dns = Dns,
        };
    }

    /// <summary>0.3.x/0.4.0 interfaces carry only name, mac and sandbox.</summary>
    internal static Result040 From(ResultParts parts) => new() { Interfaces = parts.Interfaces, Ips = parts.Ips, Routes = parts.Routes, Dns = parts.Dns };

    internal Result040 Normalize() => this with { Interfaces = Interfaces.Select(i => i.ToV040()).ToList() };

    private protected override JsonObject SerializeBody() => ResultParts.Write(Interfaces, Ips, Routes, Dns);

    private protected override void Validate() => ResultValidation.Validate(Ips, Routes);
}
