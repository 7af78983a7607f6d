using System.Text.Json.Nodes;
using Plexus.KubeSim.Tests.Support;

namespace Plexus.KubeSim.Tests;

/// <summary>
/// An update to a type that no longer uses node ports, a cluster IP, a load balancer's fields or
/// the external traffic policy clears what it left as it was, and the cleared ports and addresses
/// are free again; a value the update changed stays and is refused.
/// </summary>
public sealed class ServiceTypeChangeTests
{
    [SkippableTheory]
    [InlineData("NodePort")]
    [InlineData("LoadBalancer")]
    public async Task KubectlPatch_ToClusterIp_NodePortsAndTheirFieldsCleared(string type)
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        var sim = kubectl.Sim;
        sim.Create("""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},"spec":{"type":"TYPE","ports":[{"name":"http","port":80,"nodePort":30080}]},
             "status":{"loadBalancer":{"ingress":[{"ip":"203.0.113.9"}]}}}
            """.Replace("TYPE", type, StringComparison.Ordinal));

        (await kubectl.RunAsync("patch", "svc", "web", "-p", """{"spec":{"type":"ClusterIP"}}""")).Succeeded();

        var service = sim.Get("v1", "Service", "default", "web")!;
        var row = KubectlTableKindsTests.Table((await kubectl.RunAsync("get", "svc", "web")).Succeeded().Stdout).Row("web");
        Assert.Null(service["spec"]!["ports"]![0]!["nodePort"]);
        Assert.Null(service["spec"]!["externalTrafficPolicy"]);
        Assert.Null(service["spec"]!["allocateLoadBalancerNodePorts"]);
        Assert.Equal("{}", service["status"]!["loadBalancer"]!.ToJsonString());
        Assert.Equal(["web", "ClusterIP"], row[..2]);
        Assert.Equal(["<none>", "80/TCP"], row[3..5]);
        // Released: another Service may name it now.
        sim.Create("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"next"},"spec":{"type":"NodePort","ports":[{"port":80,"nodePort":30080}]}}""");
    }

    [SkippableFact]
    public async Task KubectlPatch_ToClusterIpWithANewNodePort_422Unchanged()
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        var sim = kubectl.Sim;
        sim.Create("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},"spec":{"type":"NodePort","ports":[{"name":"http","port":80,"nodePort":30080}]}}""");
        var before = sim.ResourceVersion;

        var result = await kubectl.RunAsync("patch", "svc", "web", "-p", """{"spec":{"type":"ClusterIP","ports":[{"name":"http","port":80,"nodePort":30081}]}}""");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("The Service \"web\" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'", result.Stderr);
        Assert.Equal(before, sim.ResourceVersion);
        Assert.Equal(30080, sim.Get("v1", "Service", "default", "web")!["spec"]!["ports"]![0]!["nodePort"]!.GetValue<long>());
    }

    [SkippableFact]
    public async Task KubectlPatch_LoadBalancerToNodePort_NodePortsKeptLoadBalancerFieldsCleared()
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        var sim = kubectl.Sim;
        sim.Create("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"lb"},"spec":{"type":"LoadBalancer","loadBalancerClass":"example.com/lb","ports":[{"port":443,"nodePort":31443}]}}""");

        (await kubectl.RunAsync("patch", "svc", "lb", "-p", """{"spec":{"type":"NodePort"}}""")).Succeeded();

        var spec = sim.Get("v1", "Service", "default", "lb")!["spec"]!;
        Assert.Equal(31443, spec["ports"]![0]!["nodePort"]!.GetValue<long>());
        Assert.Equal("Cluster", spec["externalTrafficPolicy"]!.GetValue<string>());
        Assert.Null(spec["allocateLoadBalancerNodePorts"]);
        Assert.Null(spec["loadBalancerClass"]);
    }

    [SkippableFact]
    public async Task KubectlPatch_LocalToClusterTrafficPolicy_HealthCheckNodePortClearedAndFree()
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        var sim = kubectl.Sim;
        sim.Create("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"lb"},"spec":{"type":"LoadBalancer","externalTrafficPolicy":"Local","healthCheckNodePort":30500,"ports":[{"port":443}]}}""");

        (await kubectl.RunAsync("patch", "svc", "lb", "-p", """{"spec":{"externalTrafficPolicy":"Cluster"}}""")).Succeeded();

        Assert.Null(sim.Get("v1", "Service", "default", "lb")!["spec"]!["healthCheckNodePort"]);
        sim.Create("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"next"},"spec":{"type":"NodePort","ports":[{"port":80,"nodePort":30500}]}}""");
    }

    [SkippableFact]
    public async Task KubectlPatch_ClusterToLocalTrafficPolicy_HealthCheckNodePortAllocatedThenImmutable()
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        var sim = kubectl.Sim;
        sim.Create("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"lb"},"spec":{"type":"LoadBalancer","ports":[{"port":443}]}}""");

        (await kubectl.RunAsync("patch", "svc", "lb", "-p", """{"spec":{"externalTrafficPolicy":"Local"}}""")).Succeeded();
        var allocated = sim.Get("v1", "Service", "default", "lb")!["spec"]!["healthCheckNodePort"]!.GetValue<long>();
        var other = allocated == 32767 ? 32766 : allocated + 1;
        var changed = await kubectl.RunAsync("patch", "svc", "lb", "-p", "{\"spec\":{\"healthCheckNodePort\":" + other + "}}");

        Assert.InRange(allocated, 30086, 32767);
        Assert.NotEqual(0, changed.ExitCode);
        Assert.Contains("The Service \"lb\" is invalid: spec.healthCheckNodePort: Forbidden: field is immutable", changed.Stderr);
        Assert.Equal(allocated, sim.Get("v1", "Service", "default", "lb")!["spec"]!["healthCheckNodePort"]!.GetValue<long>());
    }

    [SkippableFact]
    public async Task KubectlPatch_ToExternalName_ClusterIpAndFamiliesClearedAddressFree()
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        var sim = kubectl.Sim;
        sim.Create("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"db"},"spec":{"clusterIP":"10.96.0.20","ports":[{"port":5432}]}}""");

        (await kubectl.RunAsync("patch", "svc", "db", "-p", """{"spec":{"type":"ExternalName","externalName":"db.example.com"}}""")).Succeeded();

        var spec = sim.Get("v1", "Service", "default", "db")!["spec"]!.AsObject();
        foreach (var field in new[] { "clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy", "internalTrafficPolicy" })
        {
            Assert.False(spec.ContainsKey(field), $"{field} kept: {spec.ToJsonString()}");
        }
        Assert.Equal("10.96.0.20", sim.Create("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"next"},"spec":{"clusterIP":"10.96.0.20","ports":[{"port":80}]}}""")["spec"]!["clusterIP"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task KubectlPatch_ExternalNameToClusterIp_AddressAllocated()
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        var sim = kubectl.Sim;
        sim.Create("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"db"},"spec":{"type":"ExternalName","externalName":"db.example.com"}}""");

        (await kubectl.RunAsync("patch", "svc", "db", "-p", """{"spec":{"type":"ClusterIP","ports":[{"port":5432}]}}""")).Succeeded();

        var spec = sim.Get("v1", "Service", "default", "db")!["spec"]!;
        Assert.InRange(ServiceAllocationTests.Value(spec["clusterIP"]!.GetValue<string>()), 10u << 24 | 96u << 16 | 1u << 8 | 1, 10u << 24 | 111u << 16 | 255u << 8 | 254);
        Assert.Equal("Cluster", spec["internalTrafficPolicy"]!.GetValue<string>());
    }
}
