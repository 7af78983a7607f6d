using System.Net;
using System.Text.Json.Nodes;
using Plexus.KubeSim.Api;
using Plexus.KubeSim.Tests.Support;

namespace Plexus.KubeSim.Tests;

/// <summary>
/// Services get what kube-apiserver gives them: a cluster IP from 10.96.0.0/12 and node ports from
/// 30000-32767 when they name none (picked at random above the static band that named ones use),
/// the defaults, the same allocations across a replace that leaves them out, and 422 with the
/// allocator's words for a taken or out-of-range address or port.
/// </summary>
public sealed class ServiceAllocationTests
{
    // The static bands: the first 256 addresses of the /12 and the first 86 of the 2768 node ports.
    private const uint FirstDynamicAddress = 10u << 24 | 96u << 16 | 1u << 8 | 1;
    private const uint LastAddress = 10u << 24 | 111u << 16 | 255u << 8 | 254;
    private const int FirstDynamicNodePort = 30086;

    [SkippableFact]
    public async Task CreateServices_AllocatedAboveTheStaticBandsAndDefaulted()
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
        string Spec(string name, string field) => sim.Get("v1", "Service", "default", name)!["spec"]![field]!.ToString();
        long NodePort(string name) => sim.Get("v1", "Service", "default", name)!["spec"]!["ports"]![0]!["nodePort"]!.GetValue<long>();
        var clusterIps = new[] { "a", "b", "n", "lb" }.Select(name => Spec(name, "clusterIP")).ToList();
        var n = sim.Get("v1", "Service", "default", "n")!["spec"]!;

        Assert.All(clusterIps, ip => Assert.InRange(Value(ip), FirstDynamicAddress, LastAddress));
        Assert.Equal(4, clusterIps.Distinct().Count());
        Assert.All(new[] { NodePort("n"), NodePort("lb") }, port => Assert.InRange(port, FirstDynamicNodePort, 32767));
        Assert.Equal(["a", "ClusterIP", Spec("a", "clusterIP"), "<none>", "80/TCP"], table.Row("a")[..5]);
        Assert.Equal(["b", "ClusterIP", Spec("b", "clusterIP"), "<none>", "53/TCP"], table.Row("b")[..5]);
        Assert.Equal(["n", "NodePort", Spec("n", "clusterIP"), "<none>", $"80:{NodePort("n")}/TCP"], table.Row("n")[..5]);
        Assert.Equal(["lb", "LoadBalancer", Spec("lb", "clusterIP"), "<pending>", $"443:{NodePort("lb")}/TCP"], table.Row("lb")[..5]);
        Assert.Equal(["headless", "ClusterIP", "None", "<none>", "80/TCP"], table.Row("headless")[..5]);
        Assert.Equal(["db", "ExternalName", "<none>", "db.example", "<none>"], table.Row("db")[..5]);
        Assert.Equal($"[\"{Spec("n", "clusterIP")}\"]", n["clusterIPs"]!.ToJsonString());
        Assert.Equal("""["IPv4"]""", n["ipFamilies"]!.ToJsonString());
        Assert.Equal("SingleStack", n["ipFamilyPolicy"]!.GetValue<string>());
        Assert.Equal("None", n["sessionAffinity"]!.GetValue<string>());
        Assert.Equal("Cluster", n["externalTrafficPolicy"]!.GetValue<string>());
        Assert.Equal("Cluster", n["internalTrafficPolicy"]!.GetValue<string>());
        Assert.Null(sim.Get("v1", "Service", "default", "db")!["spec"]!["clusterIP"]);
        Assert.True(sim.Get("v1", "Service", "default", "lb")!["spec"]!["allocateLoadBalancerNodePorts"]!.GetValue<bool>());
    }

    [Fact]
    public async Task CreateServices_NamedInTheStaticBands_Kept()
    {
        await using var sim = await KubeSimServer.StartAsync();

        var spec = sim.Create("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"dns"},"spec":{"type":"NodePort","clusterIP":"10.96.0.10","ports":[{"port":53,"nodePort":30053}]}}""")["spec"]!;

        Assert.Equal("10.96.0.10", spec["clusterIP"]!.GetValue<string>());
        Assert.Equal(30053, spec["ports"]![0]!["nodePort"]!.GetValue<long>());
    }

    [Fact]
    public async Task CreateNodePortService_UpperBandHeld_StaticBandThenRangeFull()
    {
        await using var sim = await KubeSimServer.StartAsync();
        sim.Create(ServiceHolding("upper", Enumerable.Range(FirstDynamicNodePort, 32767 - FirstDynamicNodePort + 1)));

        var port = sim.Create(ServiceWithoutNodePort("next"))["spec"]!["ports"]![0]!["nodePort"]!.GetValue<long>();
        sim.Create(ServiceHolding("lower", Enumerable.Range(30000, 86).Where(p => p != port)));
        var full = Assert.Throws<ApiException>(() => sim.Create(ServiceWithoutNodePort("none-left")));

        Assert.InRange(port, 30000, FirstDynamicNodePort - 1);
        Assert.Equal(500, full.Code);
        Assert.Equal("Internal error occurred: failed to allocate a nodePort: range is full", full.Message);
        Assert.Null(sim.Get("v1", "Service", "default", "none-left"));
    }

    [Fact]
    public async Task CreateLoadBalancer_WithoutNodePortAllocation_OnlyNamedOnesAllocated()
    {
        await using var sim = await KubeSimServer.StartAsync();

        var ports = sim.Create("""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"lb"},"spec":{"type":"LoadBalancer","allocateLoadBalancerNodePorts":false,
             "ports":[{"name":"a","port":80},{"name":"b","port":81,"nodePort":30081}]}}
            """)["spec"]!["ports"]!;

        Assert.Null(ports[0]!["nodePort"]);
        Assert.Equal(30081, ports[1]!["nodePort"]!.GetValue<long>());
    }

    [Fact]
    public async Task CreateService_SamePortNumberTcpAndUdp_ShareOneNodePort()
    {
        await using var sim = await KubeSimServer.StartAsync();

        var ports = sim.Create("""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"dns"},"spec":{"type":"NodePort",
             "ports":[{"name":"dns","port":53,"protocol":"UDP"},{"name":"dns-tcp","port":53,"protocol":"TCP"},{"name":"metrics","port":9153}]}}
            """)["spec"]!["ports"]!;

        Assert.Equal(ports[0]!["nodePort"]!.GetValue<long>(), ports[1]!["nodePort"]!.GetValue<long>());
        Assert.NotEqual(ports[0]!["nodePort"]!.GetValue<long>(), ports[2]!["nodePort"]!.GetValue<long>());
    }

    [Fact]
    public async Task CreateLocalLoadBalancer_HealthCheckNodePortAllocatedAndHeld()
    {
        await using var sim = await KubeSimServer.StartAsync();

        var spec = sim.Create("""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"lb"},"spec":{"type":"LoadBalancer","externalTrafficPolicy":"Local","ports":[{"port":443}]}}
            """)["spec"]!;
        var healthCheck = spec["healthCheckNodePort"]!.GetValue<long>();
        var taken = Assert.Throws<ApiException>(() => sim.Create(ServiceHolding("next", [(int)healthCheck])));

        Assert.InRange(healthCheck, FirstDynamicNodePort, 32767);
        Assert.NotEqual(spec["ports"]![0]!["nodePort"]!.GetValue<long>(), healthCheck);
        Assert.Equal($"Service \"next\" is invalid: spec.ports[0].nodePort: Invalid value: {healthCheck}: provided port is already allocated", taken.Message);
    }

    [Fact]
    public async Task CreateLocalLoadBalancer_NamedHealthCheckNodePortTaken_500AsTheAllocatorSaysIt()
    {
        await using var sim = await KubeSimServer.StartAsync();
        sim.Create(ServiceHolding("first", [30000]));

        var error = Assert.Throws<ApiException>(() => sim.Create("""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"lb"},"spec":{"type":"LoadBalancer","externalTrafficPolicy":"Local",
             "healthCheckNodePort":30000,"ports":[{"port":443}]}}
            """));

        Assert.Equal(500, error.Code);
        Assert.Equal("Internal error occurred: failed to allocate requested HealthCheck NodePort 30000: provided port is already allocated", error.Message);
        Assert.Null(sim.Get("v1", "Service", "default", "lb"));
    }

    [Fact]
    public async Task CreateClusterIpWithExternalIps_ExternalTrafficPolicyDefaulted()
    {
        await using var sim = await KubeSimServer.StartAsync();

        var spec = sim.Create("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"ext"},"spec":{"externalIPs":["192.0.2.7"],"ports":[{"port":80}]}}""")["spec"]!;

        Assert.Equal("Cluster", spec["externalTrafficPolicy"]!.GetValue<string>());
    }

    // The reviewer's case: kubectl sends the empty strings as written, and the real server defaults them.
    [SkippableFact]
    public async Task KubectlCreateNodePortService_EmptyStringFields_DefaultedNotRefused()
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        var manifest = kubectl.WriteFile("np.yaml", """
            apiVersion: v1
            kind: Service
            metadata: {name: np}
            spec: {type: NodePort, externalTrafficPolicy: "", sessionAffinity: "", ports: [{port: 80, protocol: "", targetPort: ""}]}
            """);

        (await kubectl.RunAsync("create", "-f", manifest)).Succeeded();

        var spec = kubectl.Sim.Get("v1", "Service", "default", "np")!["spec"]!;
        Assert.Equal("Cluster", spec["externalTrafficPolicy"]!.GetValue<string>());
        Assert.Equal("None", spec["sessionAffinity"]!.GetValue<string>());
        Assert.Equal("TCP", spec["ports"]![0]!["protocol"]!.GetValue<string>());
        Assert.Equal(80, spec["ports"]![0]!["targetPort"]!.GetValue<long>());
    }

    [Fact]
    public async Task CreateLoadBalancer_EmptyExternalTrafficPolicy_ClusterWithoutHealthCheckNodePort()
    {
        await using var sim = await KubeSimServer.StartAsync();

        var spec = sim.Create("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"lb"},"spec":{"type":"LoadBalancer","externalTrafficPolicy":"","ports":[{"port":80}]}}""")["spec"]!;

        Assert.Equal("Cluster", spec["externalTrafficPolicy"]!.GetValue<string>());
        Assert.Null(spec["healthCheckNodePort"]);
    }

    [Fact]
    public async Task CreateService_EmptyIpFamilies_ClustersFamily()
    {
        await using var sim = await KubeSimServer.StartAsync();

        var spec = sim.Create("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"ipFamilies":[],"ports":[{"port":80}]}}""")["spec"]!;

        Assert.Equal("""["IPv4"]""", spec["ipFamilies"]!.ToJsonString());
    }

    // SetDefaults_Service: the config goes with no affinity, and a ClientIP affinity without a timeout gets 10800 seconds.
    [Theory]
    [InlineData("""{"sessionAffinity":"","sessionAffinityConfig":{"clientIP":{"timeoutSeconds":60}}}""", "None", null)]
    [InlineData("""{"sessionAffinityConfig":{"clientIP":{"timeoutSeconds":60}}}""", "None", null)]
    [InlineData("""{"sessionAffinity":"ClientIP"}""", "ClientIP", """{"clientIP":{"timeoutSeconds":10800}}""")]
    [InlineData("""{"sessionAffinity":"ClientIP","sessionAffinityConfig":{}}""", "ClientIP", """{"clientIP":{"timeoutSeconds":10800}}""")]
    [InlineData("""{"sessionAffinity":"ClientIP","sessionAffinityConfig":{"clientIP":{"timeoutSeconds":null}}}""", "ClientIP", """{"clientIP":{"timeoutSeconds":10800}}""")]
    [InlineData("""{"sessionAffinity":"ClientIP","sessionAffinityConfig":{"clientIP":{"timeoutSeconds":60}}}""", "ClientIP", """{"clientIP":{"timeoutSeconds":60}}""")]
    public async Task CreateService_SessionAffinity_DefaultedAsTheApiServerDoes(string affinity, string expected, string? expectedConfig)
    {
        await using var sim = await KubeSimServer.StartAsync();
        var spec = JsonNode.Parse(affinity)!.AsObject();
        spec["ports"] = JsonNode.Parse("""[{"port":80}]""");

        var stored = sim.Create(new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Service", ["metadata"] = new JsonObject { ["name"] = "s" }, ["spec"] = spec,
        })["spec"]!;

        Assert.Equal(expected, stored["sessionAffinity"]!.GetValue<string>());
        Assert.Equal(expectedConfig, stored["sessionAffinityConfig"]?.ToJsonString());
    }

    [SkippableFact]
    public async Task ReplaceWithoutAllocations_KeepsThem()
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        var sim = kubectl.Sim;
        var created = sim.Create("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"n"},"spec":{"type":"NodePort","ports":[{"name":"web","port":80}]}}""")["spec"]!;
        var file = kubectl.WriteFile("n.json",
            """{"apiVersion":"v1","kind":"Service","metadata":{"name":"n"},"spec":{"type":"NodePort","selector":{"app":"web"},"ports":[{"name":"web","port":80}]}}""");

        (await kubectl.RunAsync("replace", "-f", file)).Succeeded();

        var spec = sim.Get("v1", "Service", "default", "n")!["spec"]!;
        Assert.Equal(created["clusterIP"]!.GetValue<string>(), spec["clusterIP"]!.GetValue<string>());
        Assert.Equal(created["ports"]![0]!["nodePort"]!.GetValue<long>(), spec["ports"]![0]!["nodePort"]!.GetValue<long>());
        Assert.Equal("web", spec["selector"]!["app"]!.GetValue<string>());
    }

    [SkippableTheory]
    [InlineData("""{"clusterIP":"10.96.0.1","ports":[{"port":80}]}""",
        """spec.clusterIPs: Invalid value: []string{"10.96.0.1"}: failed to allocate IP 10.96.0.1: provided IP is already allocated""")]
    [InlineData("""{"clusterIP":"192.0.2.1","ports":[{"port":80}]}""",
        """spec.clusterIPs: Invalid value: []string{"192.0.2.1"}: failed to allocate IP 192.0.2.1: the provided IP (192.0.2.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12""")]
    [InlineData("""{"clusterIP":"10.111.255.255","ports":[{"port":80}]}""",
        """spec.clusterIPs: Invalid value: []string{"10.111.255.255"}: failed to allocate IP 10.111.255.255: the provided IP (10.111.255.255) is not in the valid range. The range of valid IPs is 10.96.0.0/12""")]
    [InlineData("""{"type":"NodePort","ports":[{"name":"a","port":80},{"name":"b","port":81,"nodePort":30000}]}""",
        "spec.ports[1].nodePort: Invalid value: 30000: provided port is already allocated")]
    [InlineData("""{"type":"NodePort","ports":[{"port":80,"nodePort":8080}]}""",
        "spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767")]
    // What the client sent is checked before the allocators see it: the taken 10.96.0.1 beside "None", or without clusterIP, is not "already allocated".
    [InlineData("""{"clusterIP":"None","clusterIPs":["None","10.96.0.1"],"ports":[{"port":80}]}""",
        """spec.clusterIPs: Invalid value: []string{"None", "10.96.0.1"}: 'None' must be the first and only value""")]
    [InlineData("""{"clusterIPs":["10.96.0.1"],"ports":[{"port":80}]}""",
        """spec.clusterIPs: Invalid value: []string{"10.96.0.1"}: must be empty when `clusterIP` is not specified""")]
    public async Task KubectlCreateService_RefusedBeforeOrByTheAllocators_422NothingStored(string spec, string cause)
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        var sim = kubectl.Sim;
        sim.Create("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"first"},"spec":{"type":"NodePort","clusterIP":"10.96.0.1","ports":[{"port":80,"nodePort":30000}]}}""");
        var file = kubectl.WriteFile("svc.json", $$"""{"apiVersion":"v1","kind":"Service","metadata":{"name":"second"},"spec":{{spec}}}""");
        var before = sim.ResourceVersion;

        var result = await kubectl.RunAsync("create", "-f", file);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"The Service \"second\" is invalid: {cause}", result.Stderr);
        Assert.Equal(before, sim.ResourceVersion);
    }

    // The old version's node ports stay allocated until the update is stored: with every other one taken, the range is full.
    [Fact]
    public async Task Update_RenamedPortWithoutNodePort_OldVersionsNodePortNotReused()
    {
        await using var sim = await KubeSimServer.StartAsync();
        var old = sim.Create("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},"spec":{"type":"NodePort","ports":[{"name":"http","port":80,"nodePort":30000}]}}""");
        sim.Create(ServiceHolding("others", Enumerable.Range(30001, 32767 - 30000)));
        using var http = sim.CreateHttpClient();
        var body = old.DeepClone().AsObject();
        body["spec"]!["ports"] = JsonNode.Parse("""[{"name":"web","port":80}]""");

        using var response = await http.PutAsync("api/v1/namespaces/default/services/web", new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));

        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(500, (int)response.StatusCode);
        Assert.Equal("Internal error occurred: failed to allocate a nodePort: range is full", status["message"]!.GetValue<string>());
        Assert.Equal("http", sim.Get("v1", "Service", "default", "web")!["spec"]!["ports"]![0]!["name"]!.GetValue<string>());
    }

    internal static uint Value(string ip)
    {
        var bytes = IPAddress.Parse(ip).GetAddressBytes();
        return (uint)bytes[0] << 24 | (uint)bytes[1] << 16 | (uint)bytes[2] << 8 | bytes[3];
    }

    private static JsonObject ServiceHolding(string name, IEnumerable<int> nodePorts) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Service",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject
        {
            ["type"] = "NodePort",
            ["ports"] = new JsonArray([.. nodePorts.Select(p => new JsonObject { ["name"] = $"p{p}", ["port"] = p, ["nodePort"] = p })]),
        },
    };

    private static JsonObject ServiceWithoutNodePort(string name) =>
        JsonNode.Parse($$$"""{"apiVersion":"v1","kind":"Service","metadata":{"name":"{{{name}}}"},"spec":{"type":"NodePort","ports":[{"port":80}]}}""")!.AsObject();
}
