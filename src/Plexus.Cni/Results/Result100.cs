using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Plexus.Cni.Json;

namespace Plexus.Cni.Results;

/// <summary>
/// A 1.0.0/1.1.0 result (one shape, as in libcni): no ips[].version; 1.1.0 adds interface
/// mtu/socketPath/pciID and route mtu/advmss/priority/table/scope. Converting between 1.0.0 and
/// 1.1.0 only changes the version, exactly like libcni.
/// </summary>
public sealed record Result100 : CniResult
{
    [JsonPropertyName("interfaces")]
    public IReadOnlyList<Interface> Interfaces { get => field ?? []; init; }

    [JsonPropertyName("ips")]
    public IReadOnlyList<IpConfig> Ips { get => field ?? []; init; }

    [JsonPropertyName("routes")]
    public IReadOnlyList<Route> Routes { get => field ?? []; init; }

    [JsonPropertyName("dns")]
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

    /// <summary>1.0.0 dropped ips[].version; a stray one is not part of this shape.</summary>
    internal Result100 Normalize() => this with { Ips = Ips.Select(ip => ip with { Version = null }).ToList() };

    private protected override JsonObject SerializeBody() =>
        JsonSerializer.SerializeToNode(this, CniJson.Context.Result100)!.AsObject();

    private protected override void Validate() => ResultValidation.Validate(Ips, Routes);
}
