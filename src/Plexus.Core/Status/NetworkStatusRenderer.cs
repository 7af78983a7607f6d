using System.Text.Json.Nodes;
using Plexus.Cni;
using Plexus.Cni.Results;
using Plexus.Core.Planning;
using Plexus.Core.Routes;
using Plexus.Core.Selection;

namespace Plexus.Core.Status;

/// <summary>
/// Renders network-status entries from delegate results (any version, read in the 1.x shape:
/// interfaces, ips with interface indexes, routes, dns), with the pod's default-route edits
/// applied to the gateways.
/// </summary>
internal static class NetworkStatusRenderer
{
    public static NetworkStatus Render(Attachment attachment, CniResult result, IReadOnlyList<DefaultRouteChange> routeChanges, JsonObject? deviceInfo = null)
    {
        var r = (Result100)result.ConvertTo(CniVersion.Latest);
        var index = SandboxInterfaceIndex(r.Interfaces, attachment.IfName);
        var chosen = index is { } i ? r.Interfaces[i] : null;
        // Plain loops here: a chained LINQ call dispatches a generic virtual method (see JsonScalars).
        var ips = new List<string>();
        foreach (var ip in r.Ips)
        {
            if (index is null || ip.Interface is null || ip.Interface == index)
            {
                ips.Add(ip.Address.Split('/')[0]);
            }
        }
        return new NetworkStatus
        {
            Name = attachment.Network,
            Interface = chosen?.Name ?? attachment.IfName,
            Ips = ips.Count == 0 ? null : ips,
            Mac = string.IsNullOrEmpty(chosen?.Mac) ? null : chosen.Mac,
            Mtu = chosen?.Mtu ?? 0,
            Default = attachment.IsClusterNetwork,
            Dns = Dns(r.Dns),
            DeviceInfo = deviceInfo,
            Gateway = Gateways(attachment, r.Routes, routeChanges),
        };
    }

    /// <summary>Every address of a result with its prefix length, as upstream lists them in the AddedInterface event.</summary>
    public static IReadOnlyList<string> Cidrs(CniResult result)
    {
        var cidrs = new List<string>();
        foreach (var ip in ((Result100)result.ConvertTo(CniVersion.Latest)).Ips)
        {
            cidrs.Add(ip.Address);
        }
        return cidrs;
    }

    private static int? SandboxInterfaceIndex(IReadOnlyList<Interface> interfaces, string ifName)
    {
        int? firstInSandbox = null;
        for (var i = 0; i < interfaces.Count; i++)
        {
            if (string.IsNullOrEmpty(interfaces[i].Sandbox))
            {
                continue;
            }
            if (interfaces[i].Name == ifName)
            {
                return i;
            }
            firstInSandbox ??= i;
        }
        return firstInSandbox;
    }

    private static List<string>? Gateways(Attachment attachment, IReadOnlyList<Route> routes, IReadOnlyList<DefaultRouteChange> changes)
    {
        var gateways = new List<string>();
        foreach (var route in routes)
        {
            if (route.Dst is "0.0.0.0/0" or "::/0" && route.Gw is { } gw && IpText.TryParseIp(gw, out var ip)
                && !changes.Any(c => c.Family == ip.AddressFamily && RemovedBy(c, route, attachment.IfName)))
            {
                gateways.Add(gw);
            }
        }
        foreach (var change in changes)
        {
            if (change.IfName == attachment.IfName)
            {
                gateways.Add(change.Gateway.ToString());
            }
        }
        return gateways.Count == 0 ? null : gateways.Distinct().ToList();
    }

    /// <summary>
    /// Whether a family's edit removes this default route of <paramref name="ifName"/> from the pod: 'ip route flush exact'
    /// empties the main table's of every other interface, and the owner's 'ip route replace default' replaces the main
    /// table's route of metric 0 (a route with a priority or in another table stays beside the new one).
    /// </summary>
    private static bool RemovedBy(DefaultRouteChange change, Route route, string ifName) =>
        route.Table is null or MainTable
        && (change.RemoveFrom.Contains(ifName) || (change.IfName == ifName && route.Priority is null or 0));

    private const int MainTable = 254;

    private static NetworkStatusDns Dns(Cni.Results.Dns dns) => new()
    {
        Nameservers = NullIfEmpty(dns.Nameservers),
        Domain = string.IsNullOrEmpty(dns.Domain) ? null : dns.Domain,
        Search = NullIfEmpty(dns.Search),
        Options = NullIfEmpty(dns.Options),
    };

    private static List<string>? NullIfEmpty(IReadOnlyList<string> values) => values.Count == 0 ? null : values.ToList();
}
