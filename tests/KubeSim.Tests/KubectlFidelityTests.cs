using Plexus.KubeSim.Tests.Support;

namespace Plexus.KubeSim.Tests;

/// <summary>The real kubectl against the simulator: the answers it relies on are the real server's.</summary>
public sealed class KubectlFidelityTests
{
    [SkippableFact]
    public async Task ApplyServerSide_Repeated_SecondApplyKeepsResourceVersion()
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        var sim = kubectl.Sim;
        var ns = sim.CreateUniqueNamespace("ssa");
        var manifest = kubectl.WriteFile("cm.yaml", $$$"""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: plexus, namespace: {{{ns}}}}
            data: {key: value}
            """);

        (await kubectl.RunAsync("apply", "--server-side", "-f", manifest)).Succeeded();
        var first = sim.Get("v1", "ConfigMap", ns, "plexus")!["metadata"]!["resourceVersion"]!.GetValue<string>();
        var again = (await kubectl.RunAsync("apply", "--server-side", "-f", manifest)).Succeeded();
        var second = sim.Get("v1", "ConfigMap", ns, "plexus")!["metadata"]!["resourceVersion"]!.GetValue<string>();

        Assert.Contains("configmap/plexus serverside-applied", again.Stdout);
        Assert.Equal(first, second);
        Assert.Equal(first, sim.ResourceVersion.ToString());
        Assert.Equal(2, sim.Requests.Count("patch", "configmaps"));
    }

    [SkippableTheory]
    [InlineData("create", "pods")]
    [InlineData("delete", "network-attachment-definitions.k8s.cni.cncf.io")]
    [InlineData("list", "nodes")]
    public async Task AuthCanI_AnyVerb_Yes(string verb, string resource)
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        var sim = kubectl.Sim;

        var result = await kubectl.RunAsync("auth", "can-i", verb, resource, "-n", "kube-system");

        Assert.Equal("yes", result.Succeeded().Stdout.Trim());
        Assert.Equal(1, sim.Requests.Count("create", "selfsubjectaccessreviews", "authorization.k8s.io"));
    }

    [SkippableFact]
    public async Task AuthCanI_ProtobufReview_AnswerEchoesDecodedSpec()
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();

        // -v=8 logs the answer's body: the spec the simulator decoded from kubectl's protobuf.
        var result = (await kubectl.RunAsync("auth", "can-i", "get", "pods", "--subresource=log", "-n", "team-a", "-v=8")).Succeeded();

        Assert.Equal("yes", result.Stdout.Trim());
        Assert.Contains("Request Headers:", result.Stderr);
        Assert.Contains("application/vnd.kubernetes.protobuf", result.Stderr);
        Assert.True(result.Stderr.Contains("""
            \"spec\":{\"resourceAttributes\":{\"namespace\":\"team-a\",\"verb\":\"get\",\"resource\":\"pods\",\"subresource\":\"log\"}}
            """.Trim(), StringComparison.Ordinal), result.Stderr);
    }
}
