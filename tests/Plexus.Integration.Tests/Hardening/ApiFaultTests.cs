using Plexus.Cni;
using Plexus.Integration.Tests.MetaPlugin;
using Plexus.KubeSim;

namespace Plexus.Integration.Tests.Hardening;

/// <summary>
/// The API server misbehaving while pods come and go (the simulator's fault switches): ADD fails with
/// code 11 (the runtime retries) naming what it could not read, never with a token in it, and leaves
/// nothing behind; DEL works from the cache whatever the API server does; once healed, ADD works.
/// </summary>
[Trait("Category", "Root")]
public sealed class ApiFaultTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    public static TheoryData<string, string> Faults => new()
    {
        { "down", "Connection refused" },
        { "500", "API server answered 500" },
        { "429", "API server answered 429" },
        { "401 after token rotation", "API server answered 401" },
        // Beyond the client's 30 s timeout: the one slow case, kept to a single ADD.
        { "slow", "HttpClient.Timeout of 30 seconds" },
    };

    [SkippableTheory]
    [MemberData(nameof(Faults))]
    public async Task AddDel_ApiServerFault_Code11NothingLeftDelWorksThenHealedAddWorks(string fault, string expected)
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root for network namespaces");
        await using var bed = await MetaPluginBed.CreateAsync(None);
        await using var plexus = await PlexusFrontEnd.StartAsync("thin", bed);
        bed.Sim.CreateNetworkAttachmentDefinition(bed.Namespace, "side", bed.MacvlanConf("10.75.1.0/24"));
        bed.Sim.CreatePod(bed.Namespace, "p", annotations: new Dictionary<string, string> { ["k8s.v1.cni.cncf.io/networks"] = "side" });
        var config = plexus.Config(bed.BridgeConf("cbr0", "10.75.0.0/24", "cni0"));
        var podNs = await bed.Node.CreatePodAsync(None);
        var oldToken = bed.Sim.Token;

        await BreakAsync(bed.Sim, fault);
        var (exit, output) = await plexus.CallAsync("ADD", "c1", podNs, config, "p");
        await HealAsync(bed, fault);

        Assert.NotEqual(0, exit);
        Assert.Equal(CniErrorCode.TryAgainLater, (int)output!["code"]!);
        Assert.Contains($"cannot read pod {bed.Namespace}/p", (string?)output["msg"]);
        Assert.Contains(expected, (string?)output["msg"]);
        Assert.DoesNotContain(oldToken, output.ToJsonString());
        Assert.DoesNotContain(bed.Sim.Token, output.ToJsonString());
        Assert.Empty(await Leftovers.PodLinksAsync(podNs, None));
        Assert.Empty(await Leftovers.FindAsync(bed, None));

        Assert.Equal(0, (await plexus.CallAsync("ADD", "c1", podNs, config, "p")).Exit);
        Assert.Equal(["eth0", "net1"], (await Leftovers.PodLinksAsync(podNs, None)).Order());
        await BreakAsync(bed.Sim, fault == "slow" ? "slow forever" : fault);
        var del = await plexus.CallAsync("DEL", "c1", podNs, config, "p");
        var delAgain = await plexus.CallAsync("DEL", "c1", podNs, config, "p");

        Assert.Equal((0, 0), (del.Exit, delAgain.Exit));
        Assert.Empty(await Leftovers.PodLinksAsync(podNs, None));
        Assert.Empty(await Leftovers.FindAsync(bed, None));
        await HealAsync(bed, fault);
    }

    [SkippableFact]
    public async Task Add_RandomServerErrors_EachAddAllOrNothingAndNodeCleanAfterDel()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root for network namespaces");
        await using var bed = await MetaPluginBed.CreateAsync(None);
        await using var plexus = await PlexusFrontEnd.StartAsync("thin", bed);
        bed.Sim.CreateNetworkAttachmentDefinition(bed.Namespace, "side", bed.MacvlanConf("10.75.1.0/24"));
        var config = plexus.Config(bed.BridgeConf("cbr0", "10.75.0.0/24", "cni0"));
        bed.Sim.Faults.Seed(9);
        bed.Sim.Faults.ErrorShare = 0.3;
        var outcomes = new List<int>();

        for (var i = 0; i < 12; i++)
        {
            bed.Sim.Faults.ErrorShare = 0;
            bed.Sim.CreatePod(bed.Namespace, $"p{i}", annotations: new Dictionary<string, string> { ["k8s.v1.cni.cncf.io/networks"] = "side" });
            bed.Sim.Faults.ErrorShare = 0.3;
            var podNs = await bed.Node.CreatePodAsync(None);
            var (exit, output) = await plexus.CallAsync("ADD", $"c{i}", podNs, config, $"p{i}");
            outcomes.Add(exit == 0 ? 0 : (int)output!["code"]!);
            var links = await Leftovers.PodLinksAsync(podNs, None);
            Assert.Equal(exit == 0 ? ["eth0", "net1"] : [], links.Order());
            Assert.Equal(0, (await plexus.CallAsync("DEL", $"c{i}", podNs, config, $"p{i}")).Exit);
            Assert.Empty(await Leftovers.PodLinksAsync(podNs, None));
        }

        Assert.All(outcomes, o => Assert.True(o is 0 or CniErrorCode.TryAgainLater, $"outcome {o}"));
        Assert.Contains(0, outcomes);
        Assert.Contains(CniErrorCode.TryAgainLater, outcomes);
        Assert.Empty(await Leftovers.FindAsync(bed, None));
    }

    private static async Task BreakAsync(KubeSimServer sim, string fault)
    {
        switch (fault)
        {
            case "down":
                await sim.RefuseConnectionsAsync();
                break;
            case "500" or "429":
                sim.Faults.ErrorCode = int.Parse(fault, System.Globalization.CultureInfo.InvariantCulture);
                sim.Faults.ErrorShare = 1;
                break;
            case "401 after token rotation":
                sim.RotateToken("rotated-" + Guid.NewGuid().ToString("N"));
                break;
            case "slow":
                sim.Faults.Latency = TimeSpan.FromSeconds(40);
                break;
            case "slow forever":
                sim.Faults.Latency = TimeSpan.FromHours(1);
                break;
        }
    }

    private static async Task HealAsync(MetaPluginBed bed, string fault)
    {
        await bed.Sim.AcceptConnectionsAsync();
        bed.Sim.Faults.Clear();
        // What the node agent does after a rotation: rewrite the kubeconfig with the new token.
        bed.Sim.WriteKubeconfig(bed.Kubeconfig);
    }
}
