using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Plexus.Cni.Json;
using Plexus.Core.Ports;

namespace Plexus.Kube;

/// <summary>Pod reads, network-status writes and events through the API server.</summary>
internal sealed class KubePodClient(KubeRawApi api, TimeProvider time) : IPodClient
{
    public const string NetworkStatusAnnotation = "k8s.v1.cni.cncf.io/network-status";
    private const string Component = "plexus";

    public async Task<PodLookup> GetPodAsync(PodRef pod, CancellationToken cancellationToken)
    {
        try
        {
            var found = await api.GetAsync(KubePaths.Pod(pod.Namespace, pod.Name), KubeObjectReader.ReadPodDocument, cancellationToken).ConfigureAwait(false);
            return new PodLookup(new PodInfo
            {
                Ref = pod,
                Uid = found.Metadata?.Uid,
                Annotations = found.Metadata?.Annotations is { } annotations
                    ? new Dictionary<string, string>(annotations)
                    : new Dictionary<string, string>(),
            });
        }
        catch (Exception e) when (KubeFailures.StatusOf(e) == HttpStatusCode.NotFound)
        {
            return PodLookup.NotFound;
        }
        catch (Exception e) when (KubeFailures.IsTransportOrServer(e))
        {
            throw KubeFailures.ToCniError(e, $"cannot read pod {pod}");
        }
    }

    public async Task<StatusWriteOutcome> WriteNetworkStatusAsync(PodRef pod, string? uid, string networkStatusJson, CancellationToken cancellationToken)
    {
        var metadata = new JsonObject { ["annotations"] = new JsonObject { [NetworkStatusAnnotation] = networkStatusJson } };
        if (uid is not null)
        {
            // As the kubelet's status patches: the uid cannot change, so a pod of this name with another uid refuses the
            // patch (422 "field is immutable") instead of getting another pod's interfaces.
            metadata["uid"] = uid;
        }
        var body = new JsonObject { ["metadata"] = metadata };
        try
        {
            await api.SendAsync(HttpMethod.Patch, KubePaths.PodStatus(pod.Namespace, pod.Name),
                CniJson.ToBytes(body), "application/merge-patch+json", cancellationToken).ConfigureAwait(false);
            return StatusWriteOutcome.Written;
        }
        catch (Exception e) when (KubeFailures.StatusOf(e) == HttpStatusCode.Conflict)
        {
            return StatusWriteOutcome.Conflict;
        }
        catch (Exception e) when (KubeFailures.StatusOf(e) == HttpStatusCode.NotFound)
        {
            return StatusWriteOutcome.PodNotFound;
        }
        // Only the uid's refusal: another 422 (annotations over the size limit) is an error whose message the log keeps.
        catch (Exception e) when (uid is not null && KubeFailures.StatusOf(e) == HttpStatusCode.UnprocessableEntity
            && e.Message.Contains("metadata.uid", StringComparison.Ordinal))
        {
            return StatusWriteOutcome.Refused;
        }
        catch (Exception e) when (KubeFailures.IsTransportOrServer(e))
        {
            throw KubeFailures.ToCniError(e, $"cannot write the network-status of pod {pod}");
        }
    }

    public async Task RecordEventAsync(PodRef pod, string? podUid, PodEvent podEvent, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        // A core/v1 Event as the kubelet's recorder writes it.
        var kubeEvent = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Event",
            ["metadata"] = new JsonObject { ["name"] = EventName(pod), ["namespace"] = pod.Namespace },
            ["involvedObject"] = new JsonObject
            {
                ["kind"] = "Pod",
                ["apiVersion"] = "v1",
                ["name"] = pod.Name,
                ["namespace"] = pod.Namespace,
            },
            ["reason"] = podEvent.Reason,
            ["message"] = podEvent.Message,
            ["type"] = podEvent.Type == PodEventType.Warning ? "Warning" : "Normal", // not Enum.ToString: reflection under NativeAOT
            ["source"] = new JsonObject { ["component"] = Component },
            ["reportingComponent"] = Component,
            ["firstTimestamp"] = now,
            ["lastTimestamp"] = now,
            ["count"] = 1,
        };
        if (podUid is not null)
        {
            kubeEvent["involvedObject"]!["uid"] = podUid;
        }
        try
        {
            await api.SendAsync(HttpMethod.Post, KubePaths.Events(pod.Namespace),
                CniJson.ToBytes(kubeEvent), "application/json", cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (KubeFailures.IsTransportOrServer(e))
        {
            throw KubeFailures.ToCniError(e, $"cannot record event {podEvent.Reason} on pod {pod}");
        }
    }

    // Named like the kubelet's recorder names events (<object>.<unique>), within the 253-character limit.
    private static string EventName(PodRef pod) =>
        $"{pod.Name[..Math.Min(pod.Name.Length, 220)]}.{Guid.NewGuid():N}";
}
