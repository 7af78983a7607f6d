using Plexus.Cni;
using Plexus.Core.Config;
using Plexus.Core.Ports;
using Plexus.Core.Status;

namespace Plexus.Core.Service;

/// <summary>
/// Writes network-status (retrying on conflict) and one AddedInterface event for the pod. The
/// interfaces already work at this point, so API failures here are logged, not returned.
/// </summary>
internal static class StatusPublisher
{
    public const int MaxConflictRetries = 5;

    public static async Task PublishAsync(Session session, KubernetesPorts kube, PodInfo pod, IReadOnlyList<NetworkStatus> statuses, PodEvent added, CancellationToken cancellationToken)
    {
        try
        {
            var json = NetworkStatusWriter.ToAnnotation(statuses);
            var outcome = StatusWriteOutcome.Conflict;
            for (var attempt = 0; attempt < MaxConflictRetries && outcome == StatusWriteOutcome.Conflict; attempt++)
            {
                outcome = await kube.Pods.WriteNetworkStatusAsync(pod.Ref, json, cancellationToken).ConfigureAwait(false);
            }
            if (outcome != StatusWriteOutcome.Written)
            {
                session.Log(LogLevel.Error, $"network-status of pod {pod.Ref} not written: {outcome}");
            }
        }
        catch (CniException e)
        {
            session.Log(LogLevel.Error, $"{e.Message}");
        }
        // The interfaces exist whether or not the status could be written (upstream records the event either way).
        await PodEvents.RecordAsync(session, kube, pod.Ref, pod.Uid, added, cancellationToken).ConfigureAwait(false);
    }
}
