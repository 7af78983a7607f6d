using System.Text.Json;
using System.Text.Json.Nodes;
using Plexus.Core.Planning;
using Plexus.Core.Routes;
using Plexus.Core.Selection;

namespace Plexus.Core.Status;

/// <summary>
/// Renders network-status entries from delegate results (in a 0.3.0-or-later shape: interfaces,
/// ips with interface indexes, routes, dns), with the pod's default-route edits applied to the gateways.
/// </summary>
internal static class NetworkStatusRenderer
{
    public static NetworkStatus Render(Attachment attachment, JsonObject result, IReadOnlyList<DefaultRouteChange> routeChanges, JsonObject? deviceInfo = null)
    {
        var interfaces = result["interfaces"] as JsonArray ?? [];
        var index = SandboxInterfaceIndex(interfaces, attachment.IfName);
        var chosen = index is { } i ? interfaces[i] as JsonObject : null;
        var ips = (result["ips"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Where(ip => index is null || ip["interface"] is null || Int(ip["interface"]) == index)
            .Select(ip => Text(ip["address"]))
            .OfType<string>()
            .Select(cidr => cidr.Split('/')[0])
            .ToList();
        return new NetworkStatus
        {
            Name = attachment.Network,
            Interface = Text(chosen?["name"]) ?? attachment.IfName,
            Ips = ips.Count == 0 ? null : ips,
            Mac = Text(chosen?["mac"]) is { Length: > 0 } mac ? mac : null,
            Mtu = Int(chosen?["mtu"]) ?? 0,
            Default = attachment.IsClusterNetwork,
            Dns = Dns(result["dns"] as JsonObject),
            DeviceInfo = deviceInfo,
            Gateway = Gateways(attachment, result, routeChanges),
        };
    }

    /// <summary>The annotation value: the entries as a JSON list.</summary>
    public static string ToAnnotation(IReadOnlyList<NetworkStatus> entries) =>
        JsonSerializer.Serialize(entries.ToList(), CoreJsonContext.Default.ListNetworkStatus);

    private static int? SandboxInterfaceIndex(JsonArray interfaces, string ifName)
    {
        int? firstInSandbox = null;
        for (var i = 0; i < interfaces.Count; i++)
        {
            if (interfaces[i] is not JsonObject iface || string.IsNullOrEmpty(Text(iface["sandbox"])))
            {
                continue;
            }
            if (Text(iface["name"]) == ifName)
            {
                return i;
            }
            firstInSandbox ??= i;
        }
        return firstInSandbox;
    }

    private static List<string>? Gateways(Attachment attachment, JsonObject result, IReadOnlyList<DefaultRouteChange> changes)
    {
        var gateways = new List<string>();
        foreach (var route in (result["routes"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (Text(route["dst"]) is "0.0.0.0/0" or "::/0" && Text(route["gw"]) is { } gw && IpText.TryParseAddress(gw, out var ip)
                && !changes.Any(c => c.Family == ip.AddressFamily && c.RemoveFrom.Contains(attachment.IfName)))
            {
                gateways.Add(gw);
            }
        }
        gateways.AddRange(changes.Where(c => c.IfName == attachment.IfName).Select(c => c.Gateway.ToString()));
        return gateways.Count == 0 ? null : gateways.Distinct().ToList();
    }

    private static NetworkStatusDns Dns(JsonObject? dns) => dns is null ? new() : new()
    {
        Nameservers = Strings(dns["nameservers"]),
        Domain = Text(dns["domain"]) is { Length: > 0 } domain ? domain : null,
        Search = Strings(dns["search"]),
        Options = Strings(dns["options"]),
    };

    private static List<string>? Strings(JsonNode? node) =>
        node is JsonArray { Count: > 0 } list ? list.Select(Text).OfType<string>().ToList() : null;

    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;

    private static int? Int(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<int>(out var n) ? n : null;
}
