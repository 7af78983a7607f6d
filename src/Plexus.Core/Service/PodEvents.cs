using Plexus.Cni;
using Plexus.Core.Config;
using Plexus.Core.Ports;

namespace Plexus.Core.Service;

/// <summary>Records an event on a pod. An event is a report, not part of the verb: a failed write is logged, never returned.</summary>
internal static class PodEvents
{
    public static async Task RecordAsync(Session session, KubernetesPorts kube, PodRef pod, string? podUid, PodEvent podEvent, CancellationToken cancellationToken)
    {
        try
        {
            await kube.Pods.RecordEventAsync(pod, podUid, podEvent, cancellationToken).ConfigureAwait(false);
        }
        catch (CniException e)
        {
            session.Log(LogLevel.Error, $"{podEvent.Reason} event on pod {pod} not recorded: {e.Message}");
        }
    }
}
