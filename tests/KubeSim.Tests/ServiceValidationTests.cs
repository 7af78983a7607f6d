using System.Text.Json.Nodes;
using Plexus.KubeSim.Api;
using Plexus.KubeSim.Tests.Support;

namespace Plexus.KubeSim.Tests;

/// <summary>
/// The Service checks kube-apiserver runs after allocating: repeated node ports, port/protocol pairs
/// and port names, unnamed ports among several, bad numbers, protocols and types, fields a type does
/// not allow; all causes in one 422, as an aggregate when there are several. Also the cluster IP
/// fields as sent, which it checks before allocating.
/// </summary>
public sealed class ServiceValidationTests
{
    private const string Port443Key = "core.ServicePort{Name:\"\", Protocol:\"TCP\", AppProtocol:(*string)(nil), Port:443, " +
        "TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}";

    // kubectl v1.32's words against a v1.32 cluster for the same command (captured from a real cluster).
    [SkippableFact]
    public async Task KubectlCreateService_RepeatedPort_RealClustersMessageNothingStored()
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        var before = kubectl.Sim.ResourceVersion;

        var result = await kubectl.RunAsync("create", "svc", "clusterip", "two-ports", "--tcp", "80:80,443,443");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal("error: failed to create ClusterIP service: Service \"two-ports\" is invalid: " +
            $"[spec.ports[2].name: Duplicate value: \"443\", spec.ports[2]: Duplicate value: {Port443Key}]\n", result.Stderr);
        Assert.Equal(before, kubectl.Sim.ResourceVersion);
    }

    // kubectl's --node-port goes on every port: two port numbers claim it twice, one port number twice is a duplicate.
    [SkippableTheory]
    [InlineData("80:8080,81:8081", "spec.ports[1].nodePort: Invalid value: 30080: provided port is already allocated")]
    [InlineData("80:8080,80:8081", "[spec.ports[1].nodePort: Duplicate value: 30080, spec.ports[1]: Duplicate value: core.ServicePort{Name:\"\", " +
        "Protocol:\"TCP\", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}]")]
    public async Task KubectlCreateNodePortService_OneNodePortTwice_422NothingStored(string tcp, string causes)
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        var before = kubectl.Sim.ResourceVersion;

        var result = await kubectl.RunAsync("create", "service", "nodeport", "np", $"--tcp={tcp}", "--node-port=30080");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"Service \"np\" is invalid: {causes}\n", result.Stderr);
        Assert.Equal(before, kubectl.Sim.ResourceVersion);
        Assert.Null(kubectl.Sim.Get("v1", "Service", "default", "np"));
    }

    [Theory]
    [InlineData("""{"ports":[{"port":80},{"port":81}]}""", "[spec.ports[0].name: Required value, spec.ports[1].name: Required value]")]
    [InlineData("""{"ports":[{"name":"a","port":80},{"name":"a","port":81}]}""", "spec.ports[1].name: Duplicate value: \"a\"")]
    [InlineData("""{"ports":[{"port":0}]}""", "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive")]
    [InlineData("""{"ports":[{"port":65536}]}""", "spec.ports[0].port: Invalid value: 65536: must be between 1 and 65535, inclusive")]
    [InlineData("""{"ports":[{"port":80,"protocol":"HTTP"}]}""", "spec.ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"")]
    [InlineData("""{"type":"Public","ports":[{"port":80}]}""", "spec.type: Unsupported value: \"Public\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"")]
    [InlineData("""{"selector":{"app":"a"}}""", "spec.ports: Required value")]
    [InlineData("""{"ports":[{"port":80,"nodePort":30080}]}""", "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'")]
    [InlineData("""{"type":"NodePort","clusterIP":"None","ports":[{"port":80}]}""", "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services")]
    [InlineData("""{"type":"LoadBalancer","clusterIP":"None","ports":[{"port":80}]}""", "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for LoadBalancer services")]
    [InlineData("""{"type":"ExternalName","clusterIP":"10.96.0.5","ipFamilyPolicy":"SingleStack","externalName":"db.example"}""",
        "[spec.clusterIPs: Forbidden: may not be set for ExternalName services, spec.ipFamilyPolicy: Forbidden: may not be set for ExternalName services]")]
    [InlineData("""{"type":"ExternalName"}""", "spec.externalName: Required value")]
    [InlineData("""{"ports":[{"name":"a","port":53,"protocol":"UDP"},{"name":"b","port":53,"protocol":"UDP"}]}""",
        "spec.ports[1]: Duplicate value: core.ServicePort{Name:\"\", Protocol:\"UDP\", AppProtocol:(*string)(nil), Port:53, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}")]
    [InlineData("""{"externalTrafficPolicy":"Local","ports":[{"port":80}]}""",
        "spec.externalTrafficPolicy: Invalid value: \"Local\": may only be set for externally-accessible services")]
    [InlineData("""{"type":"NodePort","externalTrafficPolicy":"Everywhere","ports":[{"port":80}]}""",
        "spec.externalTrafficPolicy: Unsupported value: \"Everywhere\": supported values: \"Cluster\", \"Local\"")]
    [InlineData("""{"healthCheckNodePort":30500,"ports":[{"port":80}]}""",
        "spec.healthCheckNodePort: Invalid value: 30500: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'")]
    [InlineData("""{"type":"NodePort","allocateLoadBalancerNodePorts":true,"ports":[{"port":80}]}""",
        "spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is 'LoadBalancer'")]
    [InlineData("""{"internalTrafficPolicy":"Node","ports":[{"port":80}]}""",
        "spec.internalTrafficPolicy: Unsupported value: \"Node\": supported values: \"Cluster\", \"Local\"")]
    [InlineData("""{"internalTrafficPolicy":"","ports":[{"port":80}]}""",
        "spec.internalTrafficPolicy: Unsupported value: \"\": supported values: \"Cluster\", \"Local\"")]
    // The cluster IP fields as sent, checked before anything is allocated (ValidateServiceClusterIPsRelatedFields, initIPFamilyFields).
    [InlineData("""{"clusterIP":"None","clusterIPs":["None","10.96.0.5"],"ports":[{"port":80}]}""",
        """spec.clusterIPs: Invalid value: []string{"None", "10.96.0.5"}: 'None' must be the first and only value""")]
    [InlineData("""{"clusterIPs":["10.96.0.5"],"ports":[{"port":80}]}""",
        """spec.clusterIPs: Invalid value: []string{"10.96.0.5"}: must be empty when `clusterIP` is not specified""")]
    [InlineData("""{"clusterIP":"10.96.0.5","clusterIPs":["10.96.0.6"],"ports":[{"port":80}]}""",
        """spec.clusterIPs: Invalid value: []string{"10.96.0.6"}: first value must match `clusterIP`""")]
    [InlineData("""{"clusterIP":"not-an-ip","ports":[{"port":80}]}""",
        """spec.clusterIPs[0]: Invalid value: "not-an-ip": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)""")]
    [InlineData("""{"clusterIP":"10.96","ports":[{"port":80}]}""",
        """spec.clusterIPs[0]: Invalid value: "10.96": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)""")]
    [InlineData("""{"clusterIP":"10.96.0.5","clusterIPs":["10.96.0.5","10.96.0.6"],"ipFamilyPolicy":"PreferDualStack","ports":[{"port":80}]}""",
        """spec.clusterIPs: Invalid value: []string{"10.96.0.5", "10.96.0.6"}: may specify no more than one IP for each IP family""")]
    [InlineData("""{"clusterIP":"fd00::10","ports":[{"port":80}]}""",
        """spec.clusterIPs[0]: Invalid value: []string{"fd00::10"}: IPv6 is not configured on this cluster""")]
    [InlineData("""{"ipFamilyPolicy":"","ports":[{"port":80}]}""",
        "spec.ipFamilyPolicy: Unsupported value: \"\": supported values: \"PreferDualStack\", \"RequireDualStack\", \"SingleStack\"")]
    [InlineData("""{"ipFamilyPolicy":"RequireDualStack","ports":[{"port":80}]}""",
        """spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services""")]
    [InlineData("""{"ipFamilies":["IPv6"],"ports":[{"port":80}]}""",
        """spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster""")]
    [InlineData("""{"ipFamilies":["IPv4","IPv4"],"ipFamilyPolicy":"PreferDualStack","ports":[{"port":80}]}""",
        "spec.ipFamilies[1]: Duplicate value: \"IPv4\"")]
    [InlineData("""{"ipFamilies":["IPv5"],"ports":[{"port":80}]}""",
        "spec.ipFamilies[0]: Unsupported value: \"IPv5\": supported values: \"IPv4\", \"IPv6\"")]
    [InlineData("""{"ipFamilies":["IPv4","IPv6"],"ports":[{"port":80}]}""",
        """spec.ipFamilyPolicy: Invalid value: "SingleStack": must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified""")]
    public async Task CreateService_Invalid_422WithTheApiServersCauses(string spec, string causes)
    {
        await using var sim = await KubeSimServer.StartAsync();
        var before = sim.ResourceVersion;

        var error = Assert.Throws<ApiException>(() => sim.Create($$"""{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{{spec}}}"""));

        Assert.Equal(422, error.Code);
        Assert.Equal($"Service \"s\" is invalid: {causes}", error.Message);
        Assert.Equal(before, sim.ResourceVersion);
    }

    // isHeadlessService: only clusterIPs ["None"] is headless. Allocation leaves one address, so this checks the
    // validation itself, on specs as defaulting leaves them.
    [Theory]
    [InlineData("""{"type":"ClusterIP","clusterIPs":["None"]}""", "")]
    [InlineData("""{"type":"ClusterIP","clusterIPs":["None","10.96.0.5"]}""", "spec.ports: Required value")]
    [InlineData("""{"type":"NodePort","externalTrafficPolicy":"Cluster","clusterIPs":["None"],"ports":[{"port":80,"protocol":"TCP","nodePort":30080}]}""",
        "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services")]
    [InlineData("""{"type":"NodePort","externalTrafficPolicy":"Cluster","clusterIPs":["None","10.96.0.5"],"ports":[{"port":80,"protocol":"TCP","nodePort":30080}]}""", "")]
    public void Causes_HeadlessOnlyWithNoneAlone(string spec, string causes)
    {
        Assert.Equal(causes, string.Join(", ", ServiceValidation.Causes(JsonNode.Parse(spec)!.AsObject(), null)));
    }

    [Fact]
    public async Task CreateService_DuplicateNodePort_CauseCarriesFieldAndDuplicateReason()
    {
        await using var sim = await KubeSimServer.StartAsync();

        var error = Assert.Throws<ApiException>(() => sim.Create("""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"type":"NodePort",
             "ports":[{"name":"a","port":80,"nodePort":30080},{"name":"b","port":80,"nodePort":30080}]}}
            """));

        var cause = error.Details!["causes"]![0]!;
        Assert.Equal("FieldValueDuplicate", cause["reason"]!.GetValue<string>());
        Assert.Equal("spec.ports[1].nodePort", cause["field"]!.GetValue<string>());
        Assert.Equal("Duplicate value: 30080", cause["message"]!.GetValue<string>());
        Assert.Equal(2, error.Details["causes"]!.AsArray().Count);
    }

    [Fact]
    public async Task CreateService_OneNodePortForTcpAndUdpOfOnePort_Accepted()
    {
        await using var sim = await KubeSimServer.StartAsync();

        var ports = sim.Create("""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"dns"},"spec":{"type":"NodePort",
             "ports":[{"name":"dns","port":53,"protocol":"UDP","nodePort":30053},{"name":"dns-tcp","port":53,"protocol":"TCP","nodePort":30053}]}}
            """)["spec"]!["ports"]!;

        Assert.Equal(30053, ports[1]!["nodePort"]!.GetValue<long>());
    }

    // On update the allocator finds the repeat before validation runs, and says so as a plain error (500).
    [SkippableFact]
    public async Task KubectlPatch_AddsPortOnATakenNodePortAndProtocol_500NothingChanged()
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        kubectl.Sim.Create("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"np"},"spec":{"type":"NodePort","ports":[{"name":"a","port":80,"nodePort":30080}]}}""");
        var before = kubectl.Sim.ResourceVersion;

        var result = await kubectl.RunAsync("patch", "svc", "np", "--type=json",
            "-p", """[{"op":"add","path":"/spec/ports/-","value":{"name":"b","port":81,"nodePort":30080}}]""");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("duplicate nodePort: {TCP 30080}", result.Stderr);
        Assert.Equal(before, kubectl.Sim.ResourceVersion);
    }

    // kubernetes issue 135439: refused on create (two port numbers), the same node port for UDP is accepted on update.
    [SkippableFact]
    public async Task KubectlPatch_AddsUdpPortOnTheTcpNodePort_Accepted()
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        kubectl.Sim.Create("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"np"},"spec":{"type":"NodePort","ports":[{"name":"a","port":80,"nodePort":30080}]}}""");

        (await kubectl.RunAsync("patch", "svc", "np", "--type=json",
            "-p", """[{"op":"add","path":"/spec/ports/-","value":{"name":"b","port":53,"protocol":"UDP","nodePort":30080}}]""")).Succeeded();

        var ports = kubectl.Sim.Get("v1", "Service", "default", "np")!["spec"]!["ports"]!;
        Assert.Equal(30080, ports[1]!["nodePort"]!.GetValue<long>());
    }
}
