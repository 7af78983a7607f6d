using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Plexus.Cni.Skel;
using Plexus.Core.Service;
using Plexus.Daemon;
using Plexus.Daemon.Caches;
using Plexus.Daemon.Config;
using Plexus.Integration.Tests.MetaPlugin;
using Plexus.Testing;

namespace Plexus.Integration.Tests.Thick;

/// <summary>
/// Thick mode for the meta-plugin scenarios: an in-process plexusd (the real composition, with the bed's
/// node-netns executor, recording API client and log as its effects, and its NAD cache synced) per kind of
/// host, reached through the published plexus-shim.
/// </summary>
internal sealed class ShimDaemonRunner(MetaPluginBed bed) : IMetaPluginRunner
{
    private readonly Dictionary<bool, (DaemonServer Server, string SocketDir)> _daemons = [];

    public static Task<MetaPluginBed> CreateBedAsync()
    {
        Skip.IfNot(PublishedBinary.Shim.Exists, PublishedBinary.Shim.NotPublished);
        return MetaPluginBed.CreateAsync(CancellationToken.None, bed => new ShimDaemonRunner(bed));
    }

    public ICniPlugin Plugin(MetaPluginHost host, bool kubernetes)
    {
        if (!_daemons.TryGetValue(kubernetes, out var daemon))
        {
            daemon = StartAsync(host, kubernetes).GetAwaiter().GetResult();
            _daemons[kubernetes] = daemon;
        }
        return new ShimPlugin(daemon.SocketDir);
    }

    private async Task<(DaemonServer, string)> StartAsync(MetaPluginHost host, bool kubernetes)
    {
        var socketDir = Path.Combine(bed.Node.Root, kubernetes ? "run-kube" : "run-static");
        var settings = new DaemonSettings
        {
            Server = new DaemonOptions { SocketDir = socketDir, MetricsEndpoint = new IPEndPoint(IPAddress.Loopback, 0) },
            Kubeconfig = kubernetes ? bed.Kubeconfig : null,
        };
        var server = ThickDaemon.Build(settings, _ => null, host);
        await server.StartAsync(CancellationToken.None);
        if (kubernetes)
        {
            await server.Services.GetRequiredService<KubeCaches>().Nads.Synced.WaitAsync(TimeSpan.FromSeconds(30));
        }
        return (server, socketDir);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (server, _) in _daemons.Values)
        {
            await server.DisposeAsync();
        }
    }
}
