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

    /// <summary>Registers the caches and their list+watch loops (hosted services) for <paramref name="nodeName"/>.</summary>
    public static void Register(IServiceCollection services, IKubeApi api, string nodeName)
    {
        services.AddSingleton<KubeCaches>();
        services.AddSingleton(sp => new ListWatchClient(api, sp.GetRequiredService<DaemonMetrics>()));
        services.AddSingleton<IHostedService>(sp => new CacheReflector<PodWire, CachedPod>(
            CacheResource<PodWire, CachedPod>.PodsOnNode(nodeName), sp.GetRequiredService<KubeCaches>().Pods,
            sp.GetRequiredService<ListWatchClient>(), sp.GetRequiredService<DaemonMetrics>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<CacheReflector<PodWire, CachedPod>>>()));
        services.AddSingleton<IHostedService>(sp => new CacheReflector<NadWire, CachedNad>(
            CacheResource<NadWire, CachedNad>.Nads, sp.GetRequiredService<KubeCaches>().Nads,
            sp.GetRequiredService<ListWatchClient>(), sp.GetRequiredService<DaemonMetrics>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<CacheReflector<NadWire, CachedNad>>>()));
    }
}
