using Plexus.Cni;
using Plexus.Core.Ports;

namespace Plexus.Core.Planning;

/// <summary>
/// Hands each network whose NetworkAttachmentDefinition names a device-plugin resource
/// (<c>k8s.v1.cni.cncf.io/resourceName</c>) one of the pod's devices of that resource, as Multus
/// does: the ids of all containers in the kubelet's order, the next unused one per attachment,
/// in attachment order. Where Multus silently passes no device when the pod holds too few
/// (the delegate then fails obscurely or grabs the wrong device), this is an error.
/// </summary>
internal static class DeviceAllocator
{
    /// <summary>True when some network needs a device, i.e. the kubelet must be asked.</summary>
    public static bool AnyNeeded(IEnumerable<NetworkRequest> requests) => requests.Any(r => r.Network.ResourceName is not null);

    /// <summary>The device id of each request (null where its network names no resource), aligned with <paramref name="requests"/>.</summary>
    public static IReadOnlyList<string?> Assign(IReadOnlyList<NetworkRequest> requests, IReadOnlyList<AllocatedDevices> podDevices, PodRef pod)
    {
        var pools = podDevices
            .GroupBy(d => d.ResourceName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new Queue<string>(g.SelectMany(d => d.DeviceIds)), StringComparer.Ordinal);
        var assigned = new List<string?>(requests.Count);
        foreach (var request in requests)
        {
            if (request.Network.ResourceName is not { } resource)
            {
                assigned.Add(null);
                continue;
            }
            if (!pools.TryGetValue(resource, out var pool) || !pool.TryDequeue(out var deviceId))
            {
                var held = podDevices.Where(d => d.ResourceName == resource).Sum(d => d.DeviceIds.Count);
                throw CniException.InvalidConfig(
                    $"pod {pod}: network {request.Network.DisplayName} needs a device of resource {resource}, but the kubelet allocated the pod {held} and earlier networks took them all",
                    $"request one {resource} per network that uses it in the pod's resources (limits), or remove the resourceName annotation from the NetworkAttachmentDefinition");
            }
            assigned.Add(deviceId);
        }
        return assigned;
    }
}
