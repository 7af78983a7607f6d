using Plexus.Cni;
using Plexus.Core.Config;
using Plexus.Core.Ports;
using Plexus.Core.Status;

namespace Plexus.Core.Service;

/// <summary>
/// Writes network-status (retrying on conflict) and one AddedInterface event for the pod. The
/// interfaces already work at this point, so API failures here are logged, not returned; except
/// that the pod of that name turns out to be another one (another UID), which fails the ADD as the
/// pod lookup does: its interfaces and status must not land on the wrong pod.
/// </summary>
internal static class StatusPublisher
{
    public const int MaxConflictRetries = 5;

    public static async Task PublishAsync(Session session, KubernetesPorts kube, PodInfo pod, IReadOnlyList<NetworkStatus> statuses, PodEvent added, CancellationToken cancellationToken)
    {
        // A static pod's UID is the runtime's, not its API mirror's: no precondition then.
        var uid = pod.IsStatic ? null : pod.Uid;
        if (await WriteAsync(session, kube, pod.Ref, uid, NetworkStatusWriter.ToAnnotation(statuses), cancellationToken).ConfigureAwait(false) is { } current)
        {
            new PodIdentity(pod.Ref, uid).EnsureSamePod(current);
        }
        // The interfaces exist whether or not the status could be written (upstream records the event either way).
        await PodEvents.RecordAsync(session, kube, pod.Ref, pod.Uid, added, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes and logs a failure; returns the pod of that name when it refused the write for its UID.</summary>
    private static async Task<PodInfo?> WriteAsync(Session session, KubernetesPorts kube, PodRef pod, string? uid, string json, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = StatusWriteOutcome.Conflict;
            for (var attempt = 0; attempt < MaxConflictRetries && outcome == StatusWriteOutcome.Conflict; attempt++)
            {
                outcome = await kube.Pods.WriteNetworkStatusAsync(pod, uid, json, cancellationToken).ConfigureAwait(false);
            }
            // kube-apiserver refuses a patch with another uid as invalid (422, the uid is immutable); a 409 is checked too,
            // as a merge patch without resourceVersion has no other reason to conflict five times. The pod is read live:
            // plexusd's watch cache may not have seen the replacement yet, and would answer with the old UID.
            if (outcome is StatusWriteOutcome.Refused or StatusWriteOutcome.Conflict && uid is not null
                && (await kube.LivePods.GetPodAsync(pod, cancellationToken).ConfigureAwait(false)).Pod is { } current && current.Uid != uid)
            {
                return current;
            }
            if (outcome != StatusWriteOutcome.Written)
            {
                session.Log(LogLevel.Error, $"network-status of pod {pod} not written: {outcome}");
            }
        }
        catch (CniException e)
        {
            session.Log(LogLevel.Error, $"{e.Message}");
        }
        return null;
    }
}
