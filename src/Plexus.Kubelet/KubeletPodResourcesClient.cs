using Plexus.Cni;
using Plexus.Core.Ports;
using Plexus.Kubelet.Grpc;
using Plexus.Kubelet.PodResources;

namespace Plexus.Kubelet;

/// <summary>
/// The kubelet's pod-resources API (<c>v1.PodResourcesLister</c>) on its local socket: <c>Get</c>
/// for the one pod, falling back to <c>List</c> of all pods when <c>Get</c> answers with an error
/// status (it does not exist before Kubernetes 1.27 (UNIMPLEMENTED) and is behind a feature gate,
/// off until 1.34, that answers UNKNOWN). Nothing happens at construction: the connection is made on first use.
/// </summary>
public sealed class KubeletPodResourcesClient : IPodResourcesClient, IDisposable
{
    public const string DefaultSocket = "/var/lib/kubelet/pod-resources/kubelet.sock";

    /// <summary>Per call, as Multus allows the kubelet.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    private const string Service = "the kubelet pod-resources API";
    private readonly GrpcUnixChannel channel;

    public KubeletPodResourcesClient(string socketPath = DefaultSocket, TimeProvider? time = null)
    {
        Endpoint = socketPath;
        channel = new GrpcUnixChannel(socketPath, Service, CallTimeout, time ?? TimeProvider.System);
    }

    public string Endpoint { get; }

    public async Task<IReadOnlyList<AllocatedDevices>> GetPodDevicesAsync(PodRef pod, CancellationToken cancellationToken)
    {
        var (getStatus, getReply) = await channel.CallAsync(PodResourcesMessages.GetMethod, PodResourcesMessages.GetRequest(pod), cancellationToken).ConfigureAwait(false);
        if (getStatus.IsOk)
        {
            return Decode(PodResourcesMessages.GetMethod, () => PodResourcesMessages.ReadGetResponse(getReply)?.Devices ?? []);
        }
        var (listStatus, listReply) = await channel.CallAsync(PodResourcesMessages.ListMethod, PodResourcesMessages.ListRequest(), cancellationToken).ConfigureAwait(false);
        if (!listStatus.IsOk)
        {
            throw CniException.Io($"{Service} at {Endpoint} refused Get ({getStatus}) and List ({listStatus}) for pod {pod}");
        }
        return Decode(PodResourcesMessages.ListMethod, () => PodResourcesMessages.ReadListResponse(listReply)
            .Where(p => p.Name == pod.Name && p.Namespace == pod.Namespace)
            .SelectMany(p => p.Devices)
            .ToList());
    }

    public void Dispose() => channel.Dispose();

    private IReadOnlyList<AllocatedDevices> Decode(string method, Func<IReadOnlyList<AllocatedDevices>> read)
    {
        try
        {
            return read();
        }
        catch (InvalidDataException e)
        {
            throw CniException.Io($"{Service} at {Endpoint} answered {method} with a malformed response: {e.Message}");
        }
    }
}
