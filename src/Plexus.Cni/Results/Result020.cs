using System.Text.Json.Nodes;
using Plexus.Cni.Json;

namespace Plexus.Cni.Results;

/// <summary>A 0.1.0/0.2.0 result: at most one address per family, routes inside each family.</summary>
public sealed record Result020 : CniResult
{
    public IpConfig020? Ip4 { get; init; }

    public IpConfig020? Ip6 { get; init; }

    public Dns Dns { get => field ?? Dns.Empty; init; }

    internal override ResultFamily Family => ResultFamily.V020;

    internal override Result040 ToV040(CniVersion target)
    {
        var ips = new List<IpConfig>();
        var routes = new List<Route>();
        foreach (var (config, family) in new[] { (Ip4, "4"), (Ip6, "6") })
        {
            if (config is null)
            {
                continue;
            }
            ips.Add(new IpConfig { Version = family, Address = config.Ip, Gateway = config.Gateway });
            routes.AddRange(config.Routes);
        }
        return new Result040 { Version = target, Ips = ips, Routes = routes, Dns = Dns };
    }

    internal static Result020 Read(JsonObject clean, string what)
    {
        var fields = new JsonFields(clean, "$", what, ResultParts.Remedy);
        return new Result020 { Ip4 = IpConfig020.Read(fields.Nested("ip4")), Ip6 = IpConfig020.Read(fields.Nested("ip6")), Dns = ResultParts.ReadDns(fields) };
    }

    internal Result020 Normalize() => this with
    {
        Ip4 = Ip4?.Normalize(),
        Ip6 = Ip6?.Normalize(),
    };

    private protected override JsonObject SerializeBody() =>
        ResultParts.Members(("ip4", Ip4?.Write()), ("ip6", Ip6?.Write()), ("dns", ResultParts.WriteDns(Dns)));

    private protected override void Validate()
    {
        Ip4?.Validate("ip4");
        Ip6?.Validate("ip6");
    }
}

/// <summary>The <c>ip4</c>/<c>ip6</c> object of a 0.1.0/0.2.0 result.</summary>
public sealed record IpConfig020
{
    public required string Ip { get; init; }

    public string? Gateway { get; init; }

    public IReadOnlyList<Route> Routes { get => field ?? []; init; }

    internal static IpConfig020? Read(JsonFields? fields) => fields is null ? null : new()
    {
        Ip = fields.Required("ip"),
        Gateway = fields.String("gateway"),
        Routes = ResultParts.ReadRoutes(fields),
    };

    internal JsonObject Write() => ResultParts.Members(("ip", Ip), ("gateway", Gateway), ("routes", ResultParts.WriteRoutes(Routes)));

    internal IpConfig020 Normalize() => this with { Routes = Routes.Select(r => r.ToV020()).ToList() };

    internal void Validate(string field)
    {
        IpText.RequireCidr(Ip, field + ".ip");
        IpText.RequireIpOrNull(Gateway, field + ".gateway");
        for (var i = 0; i < Routes.Count; i++)
        {
            Routes[i].Validate($"{field}.routes[{i}]");
        }
    }
}
