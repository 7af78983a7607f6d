using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Plexus.Daemon.Metrics;
using Plexus.Kube;

namespace Plexus.Daemon.Caches;

/// <summary>The daemon's two caches: this node's pods and every NetworkAttachmentDefinition.</summary>
public sealed class KubeCaches
{
    /// <summary>
    /// kube-apiserver sends an idle watch that allows bookmarks one about every minute (its watch cache's bookmark
    /// frequency), so twice that in silence means a connection that died without a word (a NAT or load-balancer entry
    /// dropped, a peer gone without closing): nothing else would ever end the read.
    /// </summary>
    internal static readonly TimeSpan WatchIdleTimeout = TimeSpan.FromMinutes(2);

    public ResourceCache<CachedPod> Pods { get; } = new();

    public ResourceCache<CachedNad> Nads { get; } = new();

    /// <summary>
    /// Registers the list+watch loops (hosted services): NADs always, pods only with <paramref name="nodeName"/>
    /// (without it every pod lookup is a live GET).
    /// </summary>
    public void Register(IServiceCollection services, IKubeApi api, string? nodeName)
    {
        services.AddSingleton(this);
        services.AddSingleton(sp => new ListWatchClient(api, sp.GetRequiredService<DaemonMetrics>()));
        if (nodeName is not null)
        {
            services.AddSingleton<IHostedService>(sp => PodReflector(nodeName, Pods, sp.GetRequiredService<ListWatchClient>(),
                sp.GetRequiredService<DaemonMetrics>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        }
        services.AddSingleton<IHostedService>(sp => NadReflector(Nads, sp.GetRequiredService<ListWatchClient>(),
            sp.GetRequiredService<DaemonMetrics>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
    }

    /// <summary>The list+watch loop of the pods on <paramref name="nodeName"/>.</summary>
    internal static BackgroundService PodReflector(string nodeName, ResourceCache<CachedPod> cache, ListWatchClient client,
        DaemonMetrics metrics, TimeProvider time, ILoggerFactory logs) =>
        new CacheReflector<PodResource, CachedPod>(CacheResource<PodResource, CachedPod>.PodsOnNode(nodeName), cache, client, metrics, time,
            logs.CreateLogger<CacheReflector<PodResource, CachedPod>>());

    /// <summary>The list+watch loop of every NetworkAttachmentDefinition.</summary>
    internal static BackgroundService NadReflector(ResourceCache<CachedNad> cache, ListWatchClient client,
        DaemonMetrics metrics, TimeProvider time, ILoggerFactory logs) =>
        new CacheReflector<NadResource, CachedNad>(CacheResource<NadResource, CachedNad>.Nads, cache, client, metrics, time,
            logs.CreateLogger<CacheReflector<NadResource, CachedNad>>());
}
