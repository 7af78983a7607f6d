using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Plexus.Cni.Json;

namespace Plexus.Cni.Results;

/// <summary>A 0.1.0/0.2.0 result: at most one address per family, routes inside each family.</summary>
public sealed record Result020 : CniResult
{
    [JsonPropertyName("ip4")]
    public IpConfig020? Ip4 { get; init; }

    [JsonPropertyName("ip6")]
    public IpConfig020? Ip6 { get; init; }

    [JsonPropertyName("dns")]
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

    internal Result020 Normalize() => this with
    {
        Ip4 = Ip4?.Normalize(),
        Ip6 = Ip6?.Normalize(),
    };

    private protected override JsonObject SerializeBody() =>
        JsonSerializer.SerializeToNode(this, CniJson.Context.Result020)!.AsObject();

    private protected override void Validate()
    {
        Ip4?.Validate("ip4");
        Ip6?.Validate("ip6");
    }
}

/// <summary>The <c>ip4</c>/<c>ip6</c> object of a 0.1.0/0.2.0 result.</summary>
public sealed record IpConfig020
{
    [JsonPropertyName("ip")]
    public required string Ip { get; init; }

    [JsonPropertyName("gateway")]
    public string? Gateway { get; init; }

    [JsonPropertyName("routes")]
    public IReadOnlyList<Route> Routes { get => field ?? []; init; }

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
