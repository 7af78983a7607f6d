using Plexus.Cni;
using Plexus.Integration.Tests.MetaPlugin;

namespace Plexus.Integration.Tests.Hardening;

/// <summary>
/// A delegate that crashes, hangs, prints garbage or fails, at each position of a pod's attachment list
/// (cluster network, then two NADs): the runtime gets the right CNI error naming the network, every
/// attachment made before it is undone, nothing is left on the node, and DEL and the next ADD work.
/// </summary>
[Trait("Category", "Root")]
public sealed class DelegateFaultTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    // The hanging delegate's timeout applies to the delegates before it too; with other tests creating and deleting
    // namespaces beside them, a bridge ADD took over 2 s, so it stays generous.
    private const int HangTimeoutSeconds = 10;

    /// <summary>Misbehaviour on ADD (VERSION and DEL behave), the code the runtime must see, and a piece of the message.</summary>
    private static readonly Dictionary<string, (string Script, int Code, string Message)> Faults = new()
    {
        ["crash"] = ("kill -SEGV $$", CniErrorCode.IoFailure, "exit status 139"),
        ["hang"] = ("sleep 600", CniErrorCode.IoFailure, $"did not finish ADD within {HangTimeoutSeconds}s and was killed"),
        ["garbage"] = ("echo '<html>502 Bad Gateway'; exit 0", CniErrorCode.DecodeFailure, "returned an unusable ADD result"),
        ["error"] = ("echo '{\"cniVersion\":\"1.0.0\",\"code\":7,\"msg\":\"no uplink\"}'; exit 1", 7, "no uplink"),
        ["exit-only"] = ("echo 'panic: nil map' >&2; exit 2", CniErrorCode.IoFailure, "exit status 2: panic: nil map"),
    };

    public static TheoryData<string, int> Cases()
    {
        var cases = new TheoryData<string, int>();
        foreach (var fault in Faults.Keys)
        {
            for (var position = 0; position < 3; position++)
            {
                cases.Add(fault, position);
            }
        }
        return cases;
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public async Task Add_DelegateFailsAtPosition_ErrorNamesItNothingLeftDelAndNextAddWork(string fault, int position)
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root for network namespaces");
        await using var bed = await MetaPluginBed.CreateAsync(None);
        var (script, code, message) = Faults[fault];
        bed.Node.WriteStubPlugin("faulty", $$"""
            input=$(cat)
            case "$CNI_COMMAND" in
              VERSION) echo '{"cniVersion":"1.0.0","supportedVersions":["0.3.1","0.4.0","1.0.0"]}' ;;
              ADD) {{script}} ;;
            esac
            """);
        var faulty = """{"cniVersion":"1.0.0","name":"NAME","type":"faulty"}""";
        string[] good = [bed.BridgeConf("n0", "10.74.0.0/24", "cni0"), bed.MacvlanConf("10.74.1.0/24"), bed.BridgeConf("n2", "10.74.2.0/24", "br2")];
        string Network(int index) => index == position ? faulty.Replace("NAME", $"n{index}") : good[index];
        bed.Sim.CreateNetworkAttachmentDefinition(bed.Namespace, "n1", Network(1));
        bed.Sim.CreateNetworkAttachmentDefinition(bed.Namespace, "n2", Network(2));
        bed.Sim.CreatePod(bed.Namespace, "p", annotations: new Dictionary<string, string> { ["k8s.v1.cni.cncf.io/networks"] = "n1,n2" });
        var timeout = TimeSpan.FromSeconds(fault == "hang" ? HangTimeoutSeconds : 60);
        await using var plexus = await PlexusFrontEnd.StartAsync("thin", bed, bed.Node.CreateExecutor(timeout));
        var config = plexus.Config(Network(0))
            .Replace($"\"binDir\":\"{Testing.CniTestNode.DebianPluginDir}\"", $"\"binDir\":\"{bed.Node.StubBinDir}\"");
        var podNs = await bed.Node.CreatePodAsync(None);

        var (exit, output) = await plexus.CallAsync("ADD", "c1", podNs, config, "p");

        Assert.NotEqual(0, exit);
        Assert.Equal(code, (int)output!["code"]!);
        var msg = (string)output["msg"]!;
        var network = position == 0 ? "n0" : $"{bed.Namespace}/n{position}";
        var ifName = position == 0 ? "eth0" : $"net{position}";
        Assert.Contains($"pod {bed.Namespace}/p: network {network} ({ifName}): plugin \"faulty\"", msg);
        Assert.Contains(message, msg);
        Assert.Contains("every attachment was removed again", (string?)output["details"]);
        Assert.Empty(await Leftovers.PodLinksAsync(podNs, None));
        Assert.Empty(await Leftovers.FindAsync(bed, None));
        Assert.Equal(0, (await plexus.CallAsync("DEL", "c1", podNs, config, "p")).Exit);

        // The runtime's next sandbox for the pod, once the network is fixed.
        if (position > 0)
        {
            bed.Sim.Delete("k8s.cni.cncf.io/v1", "NetworkAttachmentDefinition", bed.Namespace, $"n{position}");
            bed.Sim.CreateNetworkAttachmentDefinition(bed.Namespace, $"n{position}", good[position]);
        }
        var healthy = plexus.Config(good[0]);
        var again = await plexus.CallAsync("ADD", "c2", podNs, healthy, "p");
        Assert.True(again.Exit == 0, $"ADD after the fix failed: {again.Output}");
        Assert.Equal(["eth0", "net1", "net2"], (await Leftovers.PodLinksAsync(podNs, None)).Order());
        Assert.Equal(0, (await plexus.CallAsync("DEL", "c2", podNs, healthy, "p")).Exit);
        Assert.Empty(await Leftovers.FindAsync(bed, None));
    }
}
