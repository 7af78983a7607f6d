using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Plexus.Daemon.Caches;
using Plexus.Daemon.Tests.Testing;

namespace Plexus.Daemon.Tests.Caches;

/// <summary>plexusd's caches across a service-account token rotation in the API simulator.</summary>
public sealed class TokenRotationTests : IAsyncLifetime
{
    private SimulatedCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await SimulatedCluster.StartAsync("plexusd-token-");

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Caches_TokenRotatedAndWatchesCut_ResyncWithTheNewToken()
    {
        var sim = _cluster.Sim;
        await using var server = ThickDaemon.Build(_cluster.DaemonSettings(), _ => null);
        await server.StartAsync(CancellationToken.None);
        var nads = server.Services.GetRequiredService<KubeCaches>().Nads;
        sim.CreateNetworkAttachmentDefinition("ns1", "before", """{"cniVersion":"1.0.0","type":"macvlan"}""");
        await WaitUntilAsync(() => nads.Get("ns1", "before") is not null);

        // What the kubelet and the node agent do: a new token, and the kubeconfig rewritten with it.
        sim.RotateToken("rotated-" + Guid.NewGuid().ToString("N"));
        sim.WriteKubeconfig(_cluster.Kubeconfig);
        sim.DropWatches();
        sim.CreateNetworkAttachmentDefinition("ns1", "after", """{"cniVersion":"1.0.0","type":"macvlan"}""");

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
