using System.Text.Json.Nodes;
using Plexus.Cni;
using Plexus.Core.Config;
using Plexus.Core.Planning;
using Plexus.Core.Ports;

namespace Plexus.Core.Service;

/// <summary>
/// The effects around device ids: asking the kubelet for the pod's devices (only when a network
/// needs one) and the NPWG device-info files of the attachments that got one.
/// </summary>
internal static class DeviceLookup
{
    /// <summary>The kubelet device of each request (aligned with <paramref name="requests"/>), or null when no network names a resource.</summary>
    public static async Task<IReadOnlyList<string?>?> AssignAsync(Session session, PodIdentity? identity, IReadOnlyList<NetworkRequest> requests, CancellationToken cancellationToken)
    {
        if (!DeviceAllocator.AnyNeeded(requests))
        {
            return null;
        }
        var needing = requests.Where(r => r.Network.ResourceName is not null).ToList();
        var what = $"network {needing[0].Network.DisplayName} needs a device of resource {needing[0].Network.ResourceName}";
        if (identity is null)
        {
            throw CniException.InvalidConfig($"{what}, but CNI_ARGS name no pod (K8S_POD_NAMESPACE/K8S_POD_NAME) to look its devices up for",
                "device-plugin resources are allocated to Kubernetes pods only");
        }
        var client = session.Host.PodResources ?? throw CniException.InvalidConfig(
            $"pod {identity.Ref}: {what}, but this plexus has no kubelet pod-resources client");
        IReadOnlyList<AllocatedDevices> devices;
        try
        {
            devices = await client.GetPodDevicesAsync(identity.Ref, cancellationToken).ConfigureAwait(false);
        }
        catch (CniException e)
        {
            throw e.In($"pod {identity.Ref}: {what}");
        }
        var assigned = DeviceAllocator.Assign(requests, devices, identity.Ref);
        session.Log(LogLevel.Verbose, $"pod {identity.Ref}: devices from the kubelet at {client.Endpoint}: " +
            string.Join(", ", requests.Zip(assigned).Where(p => p.Second is not null).Select(p => $"{p.First.Network.DisplayName} {p.First.Network.ResourceName}={p.Second}")));
        return assigned;
    }

    /// <summary>Before the delegate runs: the device plugin's device info becomes the attachment's file (the delegate may add to it).</summary>
    public static void PrepareInfo(Session session, Attachment attachment, CancellationToken cancellationToken)
    {
        if (attachment is { ResourceName: { } resource, DeviceId: { } device, DeviceInfoFile: { } file }
            && session.DeviceInfo.CopyFromDevicePlugin(resource, device, file, cancellationToken) is { } problem)
        {
            session.Log(LogLevel.Verbose, $"network {attachment.Network} ({attachment.IfName}): {problem}");
        }
    }

    /// <summary>After ADD: the attachment's device info for network-status, when it has a readable file.</summary>
    public static JsonObject? InfoOf(Session session, Attachment attachment)
    {
        if (attachment.DeviceInfoFile is not { } file)
        {
            return null;
        }
        var (info, problem) = session.DeviceInfo.Load(file);
        if (problem is not null)
        {
            session.Log(LogLevel.Verbose, $"network {attachment.Network} ({attachment.IfName}): {problem}; network-status has no device-info for it");
        }
        return info;
    }
}
