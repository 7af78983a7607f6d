using System.Text.Json.Nodes;
using Plexus.Cni;

namespace Plexus.Core.Planning;

/// <summary>
/// Lays out a pod's attachments: the cluster network first on the runtime's interface, then
/// the extra networks in order as <c>net&lt;index&gt;</c> unless they request a name. The runtime's
/// own capability args go to the cluster network only.
/// </summary>
internal static class AttachmentPlanner
{
    public static IReadOnlyList<Attachment> Plan(
        NetworkRequest cluster,
        IReadOnlyList<NetworkRequest> extra,
        string clusterIfName,
        JsonObject? runtimeConfig,
        Func<NetworkRequest, string?>? deviceIdOf = null)
    {
        var requests = extra.Prepend(cluster).ToList();
        var attachments = new List<Attachment>(requests.Count);
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            var ifName = i == 0 ? clusterIfName : request.Selection?.RequestedInterface ?? $"net{i}";
            if (!owners.TryAdd(ifName, request.Network.DisplayName))
            {
                throw CniException.InvalidConfig(
                    $"interface name \"{ifName}\" is used by both network {owners[ifName]} and network {request.Network.DisplayName}",
                    "request a distinct interface name for each network of the pod");
            }
            var deviceId = request.Selection?.DeviceId is { Length: > 0 } requested ? requested : deviceIdOf?.Invoke(request);
            attachments.Add(new Attachment
            {
                Index = i,
                Network = request.Network.DisplayName,
                IfName = ifName,
                Conf = DelegateConfEditor.Apply(request.Network.Conf, request.Selection?.CniArgs, deviceId),
                CapabilityArgs = CapabilityArgsBuilder.Build(request, i == 0 ? runtimeConfig : null, deviceId),
                DefaultRouteGateways = request.Selection?.DefaultRoute ?? [],
            });
        }
        return attachments;
    }
}
