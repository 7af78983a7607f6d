using Plexus.Core.Ports;
using Plexus.Daemon.Metrics;

namespace Plexus.Daemon.Caches;

/// <summary>
/// Core's API ports served from the caches: reads hit memory, a miss (not yet seen, or a cache that is
/// still syncing) is a live GET through the thin plugin's own client; writes always go live, and so do the
/// reads of <see cref="KubernetesPorts.LivePods"/>.
/// </summary>
public static class CachedPorts
{
    public static KubernetesPorts Wrap(KubernetesPorts live, KubeCaches caches, DaemonMetrics metrics) =>
        new(new CachedPodClient(live.Pods, caches.Pods, metrics), new CachedNadClient(live.Definitions, caches.Nads, metrics))
        {
            LivePods = live.LivePods,
        };
}

internal sealed class CachedPodClient(IPodClient live, ResourceCache<CachedPod> cache, DaemonMetrics metrics) : IPodClient
{
    public Task<PodLookup> GetPodAsync(PodRef pod, CancellationToken cancellationToken)
    {
        if (cache.Get(pod.Namespace, pod.Name) is { } cached)
        {
            return Task.FromResult(new PodLookup(new PodInfo { Ref = pod, Uid = cached.Uid, Annotations = cached.Annotations }));
        }
        metrics.CacheMisses.WithLabels("pods").Inc();
        return live.GetPodAsync(pod, cancellationToken);
    }

    public Task<StatusWriteOutcome> WriteNetworkStatusAsync(PodRef pod, string? uid, string networkStatusJson, CancellationToken cancellationToken) =>
        live.WriteNetworkStatusAsync(pod, uid, networkStatusJson, cancellationToken);

    public Task RecordEventAsync(PodRef pod, string? podUid, PodEvent podEvent, CancellationToken cancellationToken) =>
        live.RecordEventAsync(pod, podUid, podEvent, cancellationToken);
}

internal sealed class CachedNadClient(INetworkAttachmentClient live, ResourceCache<CachedNad> cache, DaemonMetrics metrics)
    : INetworkAttachmentClient
{
    public Task<NadLookup> GetAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        if (cache.Get(@namespace, name) is { } cached)
        {
            return Task.FromResult(new NadLookup(new NetworkAttachmentDefinition
            {
                Namespace = cached.Namespace,
                Name = cached.Name,
                Config = cached.Config,
                Annotations = cached.Annotations,
            }));
        }
        metrics.CacheMisses.WithLabels("network-attachment-definitions").Inc();
        return live.GetAsync(@namespace, name, cancellationToken);
    }
}
