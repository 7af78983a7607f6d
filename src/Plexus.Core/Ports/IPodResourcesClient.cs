namespace Plexus.Core.Ports;

/// <summary>
/// The kubelet's pod-resources API: which devices the device plugins allocated to a pod's
/// containers. Transport and protocol failures throw a <see cref="Plexus.Cni.CniException"/>
/// naming the endpoint.
/// </summary>
public interface IPodResourcesClient
{
    /// <summary>The endpoint, for errors and logs (a unix socket path).</summary>
    string Endpoint { get; }

    /// <summary>The pod's devices, container by container in the kubelet's order; empty when the kubelet lists none.</summary>
    Task<IReadOnlyList<AllocatedDevices>> GetPodDevicesAsync(PodRef pod, CancellationToken cancellationToken);
}

/// <summary>The device ids one container holds of one device-plugin resource (e.g. <c>intel.com/sriov</c>).</summary>
public sealed record AllocatedDevices(string ResourceName, IReadOnlyList<string> DeviceIds);
