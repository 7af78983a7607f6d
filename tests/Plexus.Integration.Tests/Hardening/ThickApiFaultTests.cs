using System.Net;
using System.Text;
using Plexus.Core.Service;
using Plexus.Daemon;
using Plexus.Daemon.Config;
using Plexus.Daemon.Protocol.Shim;
using Plexus.Integration.Tests.MetaPlugin;
using Plexus.Kube;
using Plexus.Testing;

namespace Plexus.Integration.Tests.Hardening;

/// <summary>plexusd with its list/watch caches (ThickDaemon.Build) while the API server drops watches and rotates its token.</summary>
[Trait("Category", "Root")]
public sealed class ThickApiFaultTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [SkippableTheory]
    [InlineData("watch drop")]
    [InlineData("token rotation")]
    public async Task Add_NewPodAfterFault_DaemonRecoversAndAttaches(string fault)
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root for network namespaces");
        await using var bed = await MetaPluginBed.CreateAsync(None);
        bed.Sim.CreateNetworkAttachmentDefinition(bed.Namespace, "side", bed.MacvlanConf("10.77.1.0/24"));
        var socketDir = Path.Combine(bed.Node.Root, "run");
        var settings = new DaemonSettings
        {
            Server = new DaemonOptions { SocketDir = socketDir, MetricsEndpoint = new IPEndPoint(IPAddress.Loopback, 0) },
            Kubeconfig = bed.Kubeconfig,
            NodeName = "node-a",
            LogLevel = Plexus.Core.Config.LogLevel.Error,
        };
        await using var daemon = ThickDaemon.Build(settings, _ => null, new MetaPluginHost
        {
            Executor = bed.Node.CreateExecutor(),
            ConnectKubernetes = path => KubeConnection.TryCreate(path, _ => null, TimeProvider.System),
        });
        await daemon.StartAsync(None);
        var config = Encoding.UTF8.GetBytes(bed.Config(bed.BridgeConf("cbr0", "10.77.0.0/24", "cni0"),
            $$""","daemonSocketDir":"{{socketDir}}","daemonTimeoutSeconds":60""").Replace("\"type\":\"plexus\"", "\"type\":\"plexus-shim\""));
        bed.Sim.CreatePod(bed.Namespace, "before", nodeName: "node-a", annotations: new Dictionary<string, string> { ["k8s.v1.cni.cncf.io/networks"] = "side" });
        var beforeNs = await bed.Node.CreatePodAsync(None);
        Assert.Equal(0, (await ShimRunner.RunAsync(Env("ADD", "c-before", beforeNs, "before", bed.Namespace), config, None)).ExitCode);

        if (fault == "watch drop")
        {
            bed.Sim.DropWatches();
        }
        else
        {
            bed.Sim.RotateToken("rotated-" + Guid.NewGuid().ToString("N"));
            // What the node agent does when the kubelet rotates the service-account token.
            bed.Sim.WriteKubeconfig(bed.Kubeconfig);
        }
        bed.Sim.CreatePod(bed.Namespace, "after", nodeName: "node-a", annotations: new Dictionary<string, string> { ["k8s.v1.cni.cncf.io/networks"] = "side" });
        var afterNs = await bed.Node.CreatePodAsync(None);
        var add = await ShimRunner.RunAsync(Env("ADD", "c-after", afterNs, "after", bed.Namespace), config, None);

        Assert.True(add.ExitCode == 0, $"ADD after the {fault}: {Encoding.UTF8.GetString(add.Stdout)}");
        Assert.Equal(["eth0", "net1"], (await Leftovers.PodLinksAsync(afterNs, None)).Order());
        // The status write goes through the live client, not the caches: it must use the current token too.
        Assert.NotNull(bed.Sim.Get("v1", "Pod", bed.Namespace, "after")!["metadata"]!["annotations"]!["k8s.v1.cni.cncf.io/network-status"]);
        foreach (var (id, ns, pod) in new[] { ("c-before", beforeNs, "before"), ("c-after", afterNs, "after") })
        {
            Assert.Equal(0, (await ShimRunner.RunAsync(Env("DEL", id, ns, pod, bed.Namespace), config, None)).ExitCode);
        }
        Assert.Empty(await Leftovers.FindAsync(bed, None));
    }

    private static Dictionary<string, string> Env(string command, string id, string netns, string pod, string podNs) => new()
    {
        ["CNI_COMMAND"] = command,
        ["CNI_CONTAINERID"] = id,
        ["CNI_NETNS"] = netns,
        ["CNI_IFNAME"] = "eth0",
        ["CNI_PATH"] = CniTestNode.DebianPluginDir,
        ["CNI_ARGS"] = $"IgnoreUnknown=1;K8S_POD_NAMESPACE={podNs};K8S_POD_NAME={pod}",
    };
}
