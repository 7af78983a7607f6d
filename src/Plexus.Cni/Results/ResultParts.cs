using System.Text.Json.Nodes;
using Plexus.Cni.Json;

namespace Plexus.Cni.Results;

/// <summary>
/// Result members mapped by hand (every delegate result passes through here in every plugin
/// process, where the serializer's per-type setup cost more than the mapping): the parts 0.3.0–1.1.0
/// share (interfaces, ips, routes, dns) and the pieces 0.1.0/0.2.0 reuse. Members are written in
/// the spec's order; unknown members are dropped; a member of the wrong type is code 6 naming it.
/// </summary>
internal sealed record ResultParts(List<Interface> Interfaces, List<IpConfig> Ips, List<Route> Routes, Dns Dns)
{
    public const string Remedy = "the plugin printed a result that does not fit its cniVersion";

    /// <summary>Reads the parts of <paramref name="clean"/> (nulls already removed).</summary>
    public static ResultParts Read(JsonObject clean, string what)
    {
        var fields = new JsonFields(clean, "$", what, Remedy);
        return new ResultParts(
            [.. fields.Each("interfaces").Select(ReadInterface)],
            [.. fields.Each("ips").Select(ReadIp)],
            ReadRoutes(fields),
            ReadDns(fields));
    }

    public static JsonObject Write(IReadOnlyList<Interface> interfaces, IReadOnlyList<IpConfig> ips, IReadOnlyList<Route> routes, Dns dns) => new()
    {
        ["interfaces"] = new JsonArray([.. interfaces.Select(WriteInterface)]),
        ["ips"] = new JsonArray([.. ips.Select(WriteIp)]),
        ["routes"] = WriteRoutes(routes),
        ["dns"] = WriteDns(dns),
    };

    public static List<Route> ReadRoutes(JsonFields fields) => [.. fields.Each("routes").Select(ReadRoute)];

    public static Dns ReadDns(JsonFields fields) => fields.Nested("dns") is { } dns
        ? new Dns
        {
            Nameservers = dns.Strings("nameservers") ?? [],
            Domain = dns.String("domain"),
            Search = dns.Strings("search") ?? [],
            Options = dns.Strings("options") ?? [],
        }
        : Dns.Empty;

    public static JsonArray WriteRoutes(IReadOnlyList<Route> routes) => new([.. routes.Select(WriteRoute)]);

    public static JsonObject WriteDns(Dns dns)
    {
        var obj = new JsonObject { ["nameservers"] = Strings(dns.Nameservers) };
        if (dns.Domain is not null)
        {
            obj["domain"] = dns.Domain;
        }
        obj["search"] = Strings(dns.Search);
        obj["options"] = Strings(dns.Options);
        return obj;
    }

    /// <summary>An object of the members that are set, in the order given (null means absent).</summary>
    public static JsonObject Members(params (string Name, object? Value)[] members)
    {
        var obj = new JsonObject();
        foreach (var (name, value) in members)
        {
            switch (value)
            {
                case string text:
                    obj[name] = text;
                    break;
                case int number:
                    obj[name] = number;
                    break;
                case JsonNode node:
                    obj[name] = node;
                    break;
            }
        }
        return obj;
    }

    private static Interface ReadInterface(JsonFields f) => new()
    {
        Name = f.Required("name"),
        Mac = f.String("mac"),
        Mtu = f.Int("mtu"),
        Sandbox = f.String("sandbox"),
        SocketPath = f.String("socketPath"),
        PciId = f.String("pciID"),
    };

    private static IpConfig ReadIp(JsonFields f) => new()
    {
        Version = f.String("version"),
        Interface = f.Int("interface"),
        Address = f.Required("address"),
        Gateway = f.String("gateway"),
    };

    private static Route ReadRoute(JsonFields f) => new()
    {
        Dst = f.Required("dst"),
        Gw = f.String("gw"),
        Mtu = f.Int("mtu"),
        AdvMss = f.Int("advmss"),
        Priority = f.Int("priority"),
        Table = f.Int("table"),
        Scope = f.Int("scope"),
    };

    private static JsonObject WriteInterface(Interface i) => Members(
        ("name", i.Name), ("mac", i.Mac), ("mtu", i.Mtu), ("sandbox", i.Sandbox), ("socketPath", i.SocketPath), ("pciID", i.PciId));

    private static JsonObject WriteIp(IpConfig ip) => Members(
        ("version", ip.Version), ("interface", ip.Interface), ("address", ip.Address), ("gateway", ip.Gateway));

    private static JsonObject WriteRoute(Route r) => Members(
        ("dst", r.Dst), ("gw", r.Gw), ("mtu", r.Mtu), ("advmss", r.AdvMss), ("priority", r.Priority), ("table", r.Table), ("scope", r.Scope));

    private static JsonArray Strings(IReadOnlyList<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
}
