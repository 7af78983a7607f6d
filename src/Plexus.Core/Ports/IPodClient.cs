namespace Plexus.Core.Ports;

/// <summary>
/// The pod operations of the API server. Expected outcomes (not found, conflict) are values;
/// transport and server failures throw a <see cref="Plexus.Cni.CniException"/> naming the pod.
/// </summary>
public interface IPodClient
{
    Task<PodLookup> GetPodAsync(PodRef pod, CancellationToken cancellationToken);

    /// <summary>
    /// Sets the network-status annotation (a JSON list) through the pod's status subresource. With
    /// <paramref name="uid"/> the write is for that pod only: a pod of the name with another UID refuses it.
    /// </summary>
    Task<StatusWriteOutcome> WriteNetworkStatusAsync(PodRef pod, string? uid, string networkStatusJson, CancellationToken cancellationToken);

    Task RecordEventAsync(PodRef pod, string? podUid, PodEvent podEvent, CancellationToken cancellationToken);
}

public enum StatusWriteOutcome
{
    Written,
    Conflict,
    PodNotFound,

    /// <summary>The API server refused the write's UID as invalid (422): the pod of that name has another one now.</summary>
    Refused,
}
