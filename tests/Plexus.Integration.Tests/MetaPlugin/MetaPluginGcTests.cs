using System.Text;
using Plexus.Cni;
using Plexus.Cni.Skel;
using Plexus.Testing;

namespace Plexus.Integration.Tests.MetaPlugin;

/// <summary>GC of stale pods with real Debian plugins in a throwaway node: what it releases when Plexus's own cache of a pod is damaged.</summary>
[Trait("Category", "Root")]
public sealed class MetaPluginGcTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>
    /// Pod "stale" on the cluster network and a NAD's macvlan, pod "running" on the cluster network only: once the stale pod's
    /// delegate cache is damaged, no delegate cache names the macvlan network; only the stale pod's result cache entry knows it.
    /// </summary>
    [SkippableTheory]
    [InlineData("corrupt")]
    [InlineData("missing")]
    [InlineData("unreadable")]
    public async Task Gc_StalePodDelegateCacheDamaged_ItsLinksAndLeasesReleasedRunningPodKept(string damage)
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root for network namespaces");
        await using var bed = await MetaPluginBed.CreateAsync(None);
        bed.Sim.CreateNetworkAttachmentDefinition(bed.Namespace, "macvlan-a", bed.MacvlanConf("10.10.1.0/24"));
        bed.Sim.CreatePod(bed.Namespace, "stale", annotations: new Dictionary<string, string> { ["k8s.v1.cni.cncf.io/networks"] = "macvlan-a" });
        bed.Sim.CreatePod(bed.Namespace, "running");
        var config = bed.Config(bed.BridgeConf("cbr0", "10.10.0.0/24", "cni0"));
        var (staleNs, staleId) = await AddAsync(bed, config, "stale");
        var (runningNs, runningId) = await AddAsync(bed, config, "running");
        Assert.Equal(["eth0", "lo", "net1"], (await bed.AddressesAsync(staleNs, None)).Keys.Order(StringComparer.Ordinal));
        Assert.Equal(3, bed.ReservedAddresses().Count);
        var staleCache = Path.Combine(bed.CniDir, staleId);
        File.Delete(staleCache);
        switch (damage)
        {
            case "corrupt":
                File.WriteAllText(staleCache, "{truncated");
                break;
            case "unreadable":
                File.CreateSymbolicLink(staleCache, staleCache);
                break;
        }
        Task Gc() => GcAsync(bed, config, $$"""[{"containerID":"{{runningId}}","ifname":"eth0"}]""");

        if (damage == "unreadable")
        {
            var error = await Assert.ThrowsAsync<CniException>(Gc);
            Assert.Equal(CniErrorCode.IoFailure, error.Code);
            Assert.Contains($"stale container {staleId}: the delegate cache {staleCache} could not be read", error.Message);
            Assert.NotNull(new FileInfo(staleCache).LinkTarget);
        }
        else
        {
            await Gc();
            Assert.False(File.Exists(staleCache));
        }

        Assert.Equal(["lo"], (await bed.AddressesAsync(staleNs, None)).Keys.ToArray());
        var running = await bed.AddressesAsync(runningNs, None);
        Assert.StartsWith("10.10.0.", Assert.Single(running["eth0"]));
        Assert.Equal([running["eth0"][0].Split('/')[0]], bed.ReservedAddresses());
        Assert.Equal([$"cbr0-{runningId}-eth0"], Directory.EnumerateFiles(Path.Combine(bed.CniDir, "results")).Select(Path.GetFileName));
        Assert.True(File.Exists(Path.Combine(bed.CniDir, runningId)));
    }

    private static async Task<(string Netns, string Id)> AddAsync(MetaPluginBed bed, string config, string pod)
    {
        var netns = await bed.Node.CreatePodAsync(None);
        var id = MetaPluginBed.NewContainerId();
        await bed.Plugin().AddAsync(MetaPluginBed.Invocation("ADD", id, netns, config, bed.Namespace, pod), None);
        return (netns, id);
    }

    /// <summary>The runtime's GC: no container, the config with the valid attachments added, the API server not asked.</summary>
    private static Task GcAsync(MetaPluginBed bed, string config, string validAttachments)
    {
        var withValid = config.TrimEnd()[..^1] + $$""","cni.dev/valid-attachments":{{validAttachments}}}""";
        var env = new Dictionary<string, string> { ["CNI_COMMAND"] = "GC", ["CNI_PATH"] = CniTestNode.DebianPluginDir };
        return bed.Plugin(kubernetes: false).GcAsync(CniInvocation.Create(env, Encoding.UTF8.GetBytes(withValid)), None);
    }
}
