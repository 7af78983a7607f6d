using System.Net.Sockets;
using Plexus.Cni;
using Plexus.Core.Planning;
using Plexus.Core.Selection;

namespace Plexus.Core.Routes;

/// <summary>
/// Plans the <c>default-route</c> requests of a pod, each address family on its own: at most one
/// gateway per family across the pod; only that family's default routes move (Multus drops both
/// families' routes when one is asked for).
/// </summary>
internal static class DefaultRoutePlanner
{
    public static IReadOnlyList<DefaultRouteChange> Plan(IReadOnlyList<Attachment> attachments)
    {
        var changes = new List<DefaultRouteChange>();
        foreach (var family in new[] { AddressFamily.InterNetwork, AddressFamily.InterNetworkV6 })
        {
            var requests = attachments
                .SelectMany(a => a.DefaultRouteGateways.Select(gw => (Attachment: a, Gateway: IpText.TryParseIp(gw, out var ip) ? ip : null)))
                .Where(r => r.Gateway?.AddressFamily == family)
                .ToList();
            if (requests.Count == 0)
            {
                continue;
            }
            if (requests.Count > 1)
            {
                var who = string.Join(", ", requests.Select(r => $"{r.Gateway} on {r.Attachment.Network} ({r.Attachment.IfName})"));
                throw CniException.InvalidConfig(
                    $"plexus does not support ECMP for default-route: the pod requests {requests.Count} {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} default routes: {who}",
                    "request at most one default-route gateway per address family across all networks of the pod");
            }
            var (owner, gateway) = requests[0];
            var others = attachments.Where(a => a.Index != owner.Index).Select(a => a.IfName).ToList();
            changes.Add(new DefaultRouteChange(family, gateway!, owner.IfName, others));
        }
        return changes;
    }
}
