using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Plexus.Daemon.Metrics;

namespace Plexus.Daemon.Caches;

/// <summary>The daemon's two caches: this node's pods and every NetworkAttachmentDefinition.</summary>
public sealed class KubeCaches
{
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
            services.AddSingleton<IHostedService>(sp => new CacheReflector<PodWire, CachedPod>(
                CacheResource<PodWire, CachedPod>.PodsOnNode(nodeName), Pods,
                sp.GetRequiredService<ListWatchClient>(), sp.GetRequiredService<DaemonMetrics>(), sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<CacheReflector<PodWire, CachedPod>>>()));
        }
        services.AddSingleton<IHostedService>(sp => new CacheReflector<NadWire, CachedNad>(
            CacheResource<NadWire, CachedNad>.Nads, Nads,
            sp.GetRequiredService<ListWatchClient>(), sp.GetRequiredService<DaemonMetrics>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<CacheReflector<NadWire, CachedNad>>>()));
    }
}
