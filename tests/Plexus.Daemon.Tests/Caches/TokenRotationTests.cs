using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Plexus.Daemon.Caches;
using Plexus.Daemon.Config;
using Plexus.KubeSim;

namespace Plexus.Daemon.Tests.Caches;

/// <summary>plexusd's caches across a service-account token rotation in the API simulator.</summary>
public sealed class TokenRotationTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("plexusd-token-").FullName;
    private KubeSimServer _sim = null!;

    public async Task InitializeAsync()
    {
        _sim = await KubeSimServer.StartAsync();
        _sim.CreateNamespace("ns1");
        _sim.InstallNetworkAttachmentDefinitionCrd();
    }

    public async Task DisposeAsync()
    {
        await _sim.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Caches_TokenRotatedAndWatchesCut_ResyncWithTheNewToken()
    {
        var kubeconfig = _sim.WriteKubeconfig(Path.Combine(_dir, "kubeconfig"));
        var settings = new DaemonSettings
        {
            Server = new DaemonOptions { SocketDir = Path.Combine(_dir, "run"), MetricsEndpoint = new IPEndPoint(IPAddress.Loopback, 0) },
            Kubeconfig = kubeconfig,
            NodeName = "node-a",
        };
        await using var server = ThickDaemon.Build(settings, _ => null);
        await server.StartAsync(CancellationToken.None);
        var nads = server.Services.GetRequiredService<KubeCaches>().Nads;
        _sim.CreateNetworkAttachmentDefinition("ns1", "before", """{"cniVersion":"1.0.0","type":"macvlan"}""");
        await WaitUntilAsync(() => nads.Get("ns1", "before") is not null);

        // What the kubelet and the node agent do: a new token, and the kubeconfig rewritten with it.
        _sim.RotateToken("rotated-" + Guid.NewGuid().ToString("N"));
        _sim.WriteKubeconfig(kubeconfig);
        _sim.DropWatches();
        _sim.CreateNetworkAttachmentDefinition("ns1", "after", """{"cniVersion":"1.0.0","type":"macvlan"}""");

        await WaitUntilAsync(() => nads.Get("ns1", "after") is not null);
        Assert.NotNull(nads.Get("ns1", "before"));
    }

    /// <summary>Polls; the deadline only bounds a broken run (the first retry after a 401 comes 0.5 s later).</summary>
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), "the NAD cache did not catch up");
            await Task.Delay(50);
        }
    }
}
