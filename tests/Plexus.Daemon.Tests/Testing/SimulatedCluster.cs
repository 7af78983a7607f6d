using System.Net;
using Plexus.Daemon.Config;
using Plexus.KubeSim;

namespace Plexus.Daemon.Tests.Testing;

/// <summary>
/// What the tests of plexusd's real composition against an API server share: the simulator with namespace ns1 and
/// the NAD CRD, a temp dir holding a kubeconfig for it, and the settings of a plexusd on <see cref="NodeName"/>.
/// Disposing stops the simulator and removes the dir.
/// </summary>
internal sealed class SimulatedCluster(KubeSimServer sim, string dir, string kubeconfig) : IAsyncDisposable
{
    public const string NodeName = "node-a";

    public KubeSimServer Sim { get; } = sim;

    public string Dir { get; } = dir;

    public string Kubeconfig { get; } = kubeconfig;

    /// <param name="dirPrefix">Names the temp dir after the test that owns it.</param>
    public static async Task<SimulatedCluster> StartAsync(string dirPrefix)
    {
        var dir = Directory.CreateTempSubdirectory(dirPrefix).FullName;
        KubeSimServer? sim = null;
        try
        {
            sim = await KubeSimServer.StartAsync();
            sim.CreateNamespace("ns1");
            sim.InstallNetworkAttachmentDefinitionCrd();
            return new SimulatedCluster(sim, dir, sim.WriteKubeconfig(Path.Combine(dir, "kubeconfig")));
        }
        catch
        {
            if (sim is not null)
            {
                await sim.DisposeAsync();
            }
            Directory.Delete(dir, recursive: true);
            throw;
        }
    }

    /// <summary>plexusd on <see cref="NodeName"/> with the kubeconfig: its socket in Dir/run, metrics on an ephemeral loopback port or off.</summary>
    public DaemonSettings DaemonSettings(bool metrics = true) => new()
    {
        Server = new DaemonOptions { SocketDir = Path.Combine(Dir, "run"), MetricsEndpoint = metrics ? new IPEndPoint(IPAddress.Loopback, 0) : null },
        Kubeconfig = Kubeconfig,
        NodeName = NodeName,
    };

    public async ValueTask DisposeAsync()
    {
        await Sim.DisposeAsync();
        Directory.Delete(Dir, recursive: true);
    }
}
