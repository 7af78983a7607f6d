using System.Text.Json.Nodes;
using Plexus.KubeSim.Tests.Support;

namespace Plexus.KubeSim.Tests;

/// <summary>
/// Services get what kube-apiserver gives them: a cluster IP from 10.96.0.0/12 and node ports from
/// 30000-32767 when they name none, the defaults, the same allocations across a replace that leaves
/// them out, and 422 with the allocator's words for a taken or out-of-range address or port.
/// </summary>
public sealed class ServiceAllocationTests
{
    [SkippableFact]
    public async Task CreateServices_AllocatedAndDefaulted()
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        var sim = kubectl.Sim;
        foreach (var command in new[]
        {
            "service clusterip a --tcp=80:8080", "service clusterip b --tcp=53", "service nodeport n --tcp=80:8080",
            "service loadbalancer lb --tcp=443", "service clusterip headless --clusterip=None --tcp=80", "service externalname db --external-name=db.example",
        })
        {
            (await kubectl.RunAsync(["create", .. command.Split(' ')])).Succeeded();
        }

        var table = KubectlTableKindsTests.Table((await kubectl.RunAsync("get", "svc")).Succeeded().Stdout);
        var n = sim.Get("v1", "Service", "default", "n")!["spec"]!;

        Assert.Equal(["a", "ClusterIP", "10.96.0.1", "<none>", "80/TCP"], table.Row("a")[..5]);
        Assert.Equal(["b", "ClusterIP", "10.96.0.2", "<none>", "53/TCP"], table.Row("b")[..5]);
        Assert.Equal(["n", "NodePort", "10.96.0.3", "<none>", "80:30000/TCP"], table.Row("n")[..5]);
        Assert.Equal(["lb", "LoadBalancer", "10.96.0.4", "<pending>", "443:30001/TCP"], table.Row("lb")[..5]);
        Assert.Equal(["headless", "ClusterIP", "None", "<none>", "80/TCP"], table.Row("headless")[..5]);
        Assert.Equal(["db", "ExternalName", "<none>", "db.example", "<none>"], table.Row("db")[..5]);
        Assert.Equal("""["10.96.0.3"]""", n["clusterIPs"]!.ToJsonString());
        Assert.Equal("""["IPv4"]""", n["ipFamilies"]!.ToJsonString());
        Assert.Equal("SingleStack", n["ipFamilyPolicy"]!.GetValue<string>());
        Assert.Equal("None", n["sessionAffinity"]!.GetValue<string>());
        Assert.Equal("Cluster", n["externalTrafficPolicy"]!.GetValue<string>());
        Assert.Equal("Cluster", n["internalTrafficPolicy"]!.GetValue<string>());
        Assert.Null(sim.Get("v1", "Service", "default", "db")!["spec"]!["clusterIP"]);
        Assert.True(sim.Get("v1", "Service", "default", "lb")!["spec"]!["allocateLoadBalancerNodePorts"]!.GetValue<bool>());
    }

    [SkippableFact]
    public async Task ReplaceWithoutAllocations_KeepsThem()
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        var sim = kubectl.Sim;
        sim.Create("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"n"},"spec":{"type":"NodePort","ports":[{"name":"web","port":80}]}}""");
        var file = kubectl.WriteFile("n.json",
            """{"apiVersion":"v1","kind":"Service","metadata":{"name":"n"},"spec":{"type":"NodePort","selector":{"app":"web"},"ports":[{"name":"web","port":80}]}}""");

        (await kubectl.RunAsync("replace", "-f", file)).Succeeded();

        var spec = sim.Get("v1", "Service", "default", "n")!["spec"]!;
        Assert.Equal("10.96.0.1", spec["clusterIP"]!.GetValue<string>());
        Assert.Equal(30000, spec["ports"]![0]!["nodePort"]!.GetValue<long>());
        Assert.Equal("web", spec["selector"]!["app"]!.GetValue<string>());
    }

    [SkippableTheory]
    [InlineData("""{"clusterIP":"10.96.0.1","ports":[{"port":80}]}""",
        """spec.clusterIPs: Invalid value: []string{"10.96.0.1"}: failed to allocate IP 10.96.0.1: provided IP is already allocated""")]
    [InlineData("""{"clusterIP":"192.0.2.1","ports":[{"port":80}]}""",
        """spec.clusterIPs: Invalid value: []string{"192.0.2.1"}: failed to allocate IP 192.0.2.1: the provided IP (192.0.2.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12""")]
    [InlineData("""{"clusterIP":"10.111.255.255","ports":[{"port":80}]}""",
        """spec.clusterIPs: Invalid value: []string{"10.111.255.255"}: failed to allocate IP 10.111.255.255: the provided IP (10.111.255.255) is not in the valid range. The range of valid IPs is 10.96.0.0/12""")]
    [InlineData("""{"type":"NodePort","ports":[{"port":80},{"port":81,"nodePort":30000}]}""",
        "spec.ports[1].nodePort: Invalid value: 30000: provided port is already allocated")]
    [InlineData("""{"type":"NodePort","ports":[{"port":80,"nodePort":8080}]}""",
        "spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767")]
    public async Task CreateService_TakenOrOutOfRange_422NothingStored(string spec, string cause)
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        var sim = kubectl.Sim;
        sim.Create("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"first"},"spec":{"type":"NodePort","ports":[{"port":80}]}}""");
        var file = kubectl.WriteFile("svc.json", $$"""{"apiVersion":"v1","kind":"Service","metadata":{"name":"second"},"spec":{{spec}}}""");
        var before = sim.ResourceVersion;

        var result = await kubectl.RunAsync("create", "-f", file);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"The Service \"second\" is invalid: {cause}", result.Stderr);
        Assert.Equal(before, sim.ResourceVersion);
    }

    [SkippableFact]
    public async Task ReplaceWithAnotherClusterIp_422()
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        kubectl.Sim.Create("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"a"},"spec":{"ports":[{"port":80}]}}""");
        var file = kubectl.WriteFile("a.json", """{"apiVersion":"v1","kind":"Service","metadata":{"name":"a"},"spec":{"clusterIP":"10.96.0.99","ports":[{"port":80}]}}""");

        var result = await kubectl.RunAsync("replace", "-f", file);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("The Service \"a\" is invalid: spec.clusterIPs[0]: Invalid value: \"10.96.0.99\": may not change once set", result.Stderr);
        Assert.Equal("10.96.0.1", kubectl.Sim.Get("v1", "Service", "default", "a")!["spec"]!["clusterIP"]!.GetValue<string>());
    }
}
