using System.Text.Json.Nodes;
using CsCheck;

namespace Plexus.Cni.Tests.Properties;

/// <summary>Generators of valid result JSON per family, with addresses and routes of matching families.</summary>
internal static class ResultGen
{
    private static readonly Gen<string> V4 =
        from a in Gen.Int[1, 223] from b in Gen.Byte from c in Gen.Byte from d in Gen.Int[1, 254]
        select $"{a}.{b}.{c}.{d}";

    private static readonly Gen<string> V6 =
        from a in Gen.Int[0, 0xffff] from b in Gen.Int[1, 0xffff]
        select $"fd00:{a:x}::{b:x}";

    private static Gen<string> Address(bool v6) => v6 ? V6 : V4;

    private static Gen<string> Cidr(bool v6) =>
        from ip in Address(v6) from prefix in v6 ? Gen.Int[48, 128] : Gen.Int[8, 32]
        select $"{ip}/{prefix}";

    private static Gen<JsonObject> Route(bool v6) =>
        from dst in Cidr(v6) from gw in Address(v6).Null()
        select Obj(("dst", dst), ("gw", gw));

    private static readonly Gen<string> Word = Gen.String[Gen.Char["abcdefxyz0123456789"], 1, 8];

    private static readonly Gen<JsonObject?> Dns =
        (from servers in V4.List[0, 3] from domain in Word.Null() from search in Word.List[0, 2] from options in Word.List[0, 2]
         select Obj(("nameservers", Array(servers)), ("domain", domain), ("search", Array(search)), ("options", Array(options))))
        .Select(dns => dns.Count == 0 ? null : dns); // results omit an empty dns object

    private static readonly Gen<string> Mac =
        Gen.Byte.Array[6].Select(bytes => string.Join(':', bytes.Select(b => b.ToString("x2"))));

    private static readonly Gen<JsonObject> Interface =
        from name in Word from mac in Mac.Null() from sandbox in Word.Null()
        select Obj(("name", name), ("mac", mac), ("sandbox", sandbox is null ? null : "/var/run/netns/" + sandbox));

    /// <summary>A 0.1.0/0.2.0 result: ip4 and/or ip6 (at least one), each with routes of its own family.</summary>
    public static Gen<JsonObject> V020(CniVersion version) =>
        from ip4 in IpBlock(false).Null() from ip6 in IpBlock(true) from keep6 in Gen.Bool from dns in Dns
        select Obj(("cniVersion", version.ToString()), ("ip4", ip4), ("ip6", ip4 is null || keep6 ? ip6 : null), ("dns", dns));

    private static Gen<JsonObject> IpBlock(bool v6) =>
        from ip in Cidr(v6) from gw in Address(v6).Null() from routes in Route(v6).List[0, 3]
        select Obj(("ip", ip), ("gateway", gw), ("routes", Array(routes)));

    /// <summary>A 0.3.x/0.4.0 result; each ips entry carries the version its address has, as libcni writes it.</summary>
    public static Gen<JsonObject> V040(CniVersion version) =>
        from interfaces in Interface.List[0, 3]
        from ips in Ip(interfaces.Count, withVersion: true).List[1, 3]
        from routes in Gen.Bool.SelectMany(Route).List[0, 3]
        from dns in Dns
        select Obj(("cniVersion", version.ToString()), ("interfaces", Array(interfaces)), ("ips", Array(ips)), ("routes", Array(routes)), ("dns", dns));

    /// <summary>A 1.0.0 result (no 1.1.0-only fields, which 0.4.0 cannot carry).</summary>
    public static Gen<JsonObject> V100(CniVersion version) =>
        from interfaces in Interface.List[0, 3]
        from ips in Ip(interfaces.Count, withVersion: false).List[1, 3]
        from routes in Gen.Bool.SelectMany(Route).List[0, 3]
        from dns in Dns
        select Obj(("cniVersion", version.ToString()), ("interfaces", Array(interfaces)), ("ips", Array(ips)), ("routes", Array(routes)), ("dns", dns));

    private static Gen<JsonObject> Ip(int interfaceCount, bool withVersion) =>
        from v6 in Gen.Bool
        from address in Cidr(v6)
        from gw in Address(v6).Null()
        from index in interfaceCount == 0 ? Gen.Const(default(int?)) : Gen.Int[0, interfaceCount - 1].Select(i => (int?)i).Null()
        select Obj(("version", withVersion ? (v6 ? "6" : "4") : null), ("interface", index), ("address", address), ("gateway", gw));

    private static Gen<T?> Null<T>(this Gen<T> gen) where T : class =>
        Gen.Frequency((1, Gen.Const(default(T))), (2, gen.Select(v => (T?)v)));

    private static Gen<int?> Null(this Gen<int?> gen) => Gen.Frequency((1, Gen.Const(default(int?))), (2, gen));

    private static JsonArray? Array<T>(IEnumerable<T> items) where T : notnull
    {
        var array = new JsonArray(items.Select(i => i is JsonNode n ? n : JsonValue.Create(i.ToString())).ToArray());
        return array.Count == 0 ? null : array;
    }

    private static JsonObject Obj(params (string Key, object? Value)[] fields)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in fields)
        {
            JsonNode? node = value switch
            {
                null => null,
                JsonNode n => n,
                string s => JsonValue.Create(s),
                int i => JsonValue.Create(i),
                _ => throw new ArgumentOutOfRangeException(nameof(fields), value, "unexpected field type"),
            };
            if (node is not null)
            {
                obj[key] = node;
            }
        }
        return obj;
    }
}
