using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Plexus.Cni;
using Plexus.Core.Service;
using Plexus.Daemon;
using Plexus.Daemon.Caches;
using Plexus.Daemon.Config;
using Plexus.Integration.Tests.MetaPlugin;
using Plexus.Kube;
using Plexus.Testing;

namespace Plexus.Integration.Tests.Thick;

/// <summary>
/// A node switched from Multus keeps its daemon config and its shim config: plexusd sets the meta-plugin keys of
/// its own config over every request, so a shim config without delegates is served from the daemon's
/// clusterNetwork, and the daemon's namespaceIsolation holds whatever the shim config says.
/// </summary>
[Trait("Category", "Root")]
public sealed class DaemonConfigOverlayTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [SkippableFact]
    public async Task MultusShapedShimConfig_DaemonClusterNetworkAndIsolation_Applied()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root for network namespaces");
        Skip.IfNot(PublishedBinary.Shim.Exists, PublishedBinary.Shim.NotPublished);
        await using var bed = await MetaPluginBed.CreateAsync(None);
        Directory.CreateDirectory(bed.ConfDir);
        var cluster = Path.Combine(bed.ConfDir, "10-cbr0.conflist");
        File.WriteAllText(cluster, bed.BridgeConf("cbr0", "10.10.0.0/24", "cni0"));
        bed.Sim.CreateNamespace("other");
        bed.Sim.CreateNetworkAttachmentDefinition("other", "x", bed.MacvlanConf("10.10.1.0/24"));
        bed.Sim.CreatePod(bed.Namespace, "plain");
        bed.Sim.CreatePod(bed.Namespace, "crossing", annotations: new Dictionary<string, string> { ["k8s.v1.cni.cncf.io/networks"] = "other/x" });
        var socketDir = Path.Combine(bed.Node.Root, "run-overlay");
        await using var daemon = await StartDaemonAsync(bed, $$"""
            {"socketDir":"{{socketDir}}","metricsAddress":"off","kubeconfig":"{{bed.Kubeconfig}}",
             "clusterNetwork":"{{cluster}}","namespaceIsolation":true,
             "cniDir":"{{bed.CniDir}}","binDir":"{{CniTestNode.DebianPluginDir}}","logLevel":"verbose"}
            """);
        // What a Multus 4 node's hand-written shim config holds: no delegates, and a namespaceIsolation the daemon overrides.
        var shimConfig = Encoding.UTF8.GetBytes($$"""
            {"cniVersion":"0.3.1","name":"multus-cni-network","type":"multus-shim","socketDir":"{{socketDir}}","NamespaceIsolation":false}
            """);

        var plainNs = await bed.Node.CreatePodAsync(None);
        var plainId = MetaPluginBed.NewContainerId();
        var added = await RunShimAsync("ADD", plainId, plainNs, bed.Namespace, "plain", shimConfig);
        var crossingNs = await bed.Node.CreatePodAsync(None);
        var refused = await RunShimAsync("ADD", MetaPluginBed.NewContainerId(), crossingNs, bed.Namespace, "crossing", shimConfig);
        var deleted = await RunShimAsync("DEL", plainId, plainNs, bed.Namespace, "plain", shimConfig);

        Assert.Equal(0, added.ExitCode);
        Assert.Equal("0.3.1", (string?)JsonNode.Parse(added.Stdout)!["cniVersion"]);
        Assert.StartsWith("10.10.0.", (string?)JsonNode.Parse(added.Stdout)!["ips"]![0]!["address"]);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.True(CniErrorJson.TryParse(refused.Stdout, out var error));
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains("namespace isolation enabled, annotation violates permission", error.Message);
        Assert.Equal(["lo"], (await bed.AddressesAsync(crossingNs, None)).Keys.ToArray());
        Assert.Equal(0, deleted.ExitCode);
        Assert.Equal(["lo"], (await bed.AddressesAsync(plainNs, None)).Keys.ToArray());
        Assert.Empty(bed.ReservedAddresses());
    }

    private static async Task<DaemonServer> StartDaemonAsync(MetaPluginBed bed, string daemonConfig)
    {
        var (settings, errors) = DaemonSettingsParser.Parse(Encoding.UTF8.GetBytes(daemonConfig), _ => null);
        Assert.Empty(errors);
        var host = new MetaPluginHost
        {
            Executor = bed.Node.CreateExecutor(),
            ConnectKubernetes = path => KubeConnection.TryCreate(path, _ => null, TimeProvider.System),
            Log = bed.Log,
        };
        var server = ThickDaemon.Build(settings!, _ => null, host);
        await server.StartAsync(None);
        await server.Services.GetRequiredService<KubeCaches>().Nads.Synced.WaitAsync(TimeSpan.FromSeconds(30));
        return server;
    }

    private static Task<(int ExitCode, byte[] Stdout, string Stderr)> RunShimAsync(string command, string id, string netns, string podNs, string podName, byte[] config)
    {
        var env = MetaPluginBed.Environment(command, id, netns, podNs, podName);
        return PublishedBinary.Shim.RunAsync(env, config);
    }
}
