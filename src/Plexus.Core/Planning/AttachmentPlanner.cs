using System.Text.Json.Nodes;
using Plexus.Cni;

namespace Plexus.Core.Planning;

/// <summary>
/// Lays out a pod's attachments: the cluster network first on the runtime's interface, then
/// the extra networks in order as <c>net&lt;index&gt;</c> unless they request a name. The runtime's
/// own capability args go to the cluster network only. A device from the kubelet (for a NAD with
/// a resourceName) goes into every plugin's conf and the <c>deviceID</c> capability; a
/// selection's own <c>deviceID</c> only into the capability, and only when the kubelet gave none (as Multus).
/// </summary>
internal static class AttachmentPlanner
{
    public static IReadOnlyList<Attachment> Plan(
        NetworkRequest cluster,
        IReadOnlyList<NetworkRequest> extra,
        string clusterIfName,
        JsonObject? runtimeConfig,
        IReadOnlyList<string?>? resourceDevices = null,
        Func<string, string, string>? deviceInfoFileOf = null)
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
            var resourceDevice = resourceDevices?[i];
            var deviceId = resourceDevice ?? (request.Selection?.DeviceId is { Length: > 0 } requested ? requested : null);
            var deviceInfoFile = deviceId is null ? null : deviceInfoFileOf?.Invoke(request.Network.DisplayName, ifName);
            attachments.Add(new Attachment
            {
                Index = i,
                Network = request.Network.DisplayName,
                IfName = ifName,
                Conf = DelegateConfEditor.Apply(request.Network.Conf, request.Selection?.CniArgs, resourceDevice),
                CapabilityArgs = CapabilityArgsBuilder.Build(request, i == 0 ? runtimeConfig : null, deviceId, deviceInfoFile),
                DefaultRouteGateways = request.Selection?.DefaultRoute ?? [],
                ResourceName = resourceDevice is null ? null : request.Network.ResourceName,
                DeviceId = deviceId,
                DeviceInfoFile = deviceInfoFile,
            });
        }
        return attachments;
    }
}
