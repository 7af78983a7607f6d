using Plexus.KubeSim.Tests.Support;

namespace Plexus.KubeSim.Tests;

/// <summary>The real kubectl against the simulator: the answers it relies on are the real server's.</summary>
public sealed class KubectlFidelityTests
{
    [SkippableFact]
    public async Task ApplyServerSide_Repeated_SecondApplyKeepsResourceVersion()
    {
        Kubectl.SkipIfMissing();
        await using var sim = await KubeSimServer.StartAsync();
        using var kubectl = new Kubectl(sim);
        var ns = KubeClients.NewName("ssa");
        sim.CreateNamespace(ns);
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
}
