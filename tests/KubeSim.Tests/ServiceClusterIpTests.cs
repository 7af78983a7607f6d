using System.Text.Json.Nodes;
using Plexus.KubeSim.Tests.Support;

namespace Plexus.KubeSim.Tests;

/// <summary>
/// clusterIP, clusterIPs and the IP family fields as a single-stack IPv4 kube-apiserver takes them
/// (the refusals of what the client sent are in <see cref="ServiceValidationTests"/>): headless Services
/// without a selector get RequireDualStack with both families, a changed or malformed address on update
/// is refused by ValidateServiceUpdate with ValidateService's own causes, and fields Go drops when empty
/// are neither stored nor returned.
/// </summary>
public sealed class ServiceClusterIpTests
{
    // initIPFamilyFields special-cases headless Services without a selector, even on a single-stack cluster.
    [Theory]
    [InlineData("""{"clusterIP":"None","ports":[{"port":80}]}""", "RequireDualStack", """["IPv4","IPv6"]""")]
    [InlineData("""{"clusterIP":"None","ipFamilyPolicy":"PreferDualStack","ports":[{"port":80}]}""", "PreferDualStack", """["IPv4","IPv6"]""")]
    [InlineData("""{"clusterIP":"None","ipFamilyPolicy":"SingleStack","ports":[{"port":80}]}""", "SingleStack", """["IPv4"]""")]
    [InlineData("""{"clusterIP":"None","ipFamilies":["IPv6"],"ports":[{"port":80}]}""", "RequireDualStack", """["IPv6","IPv4"]""")]
    [InlineData("""{"clusterIP":"None","selector":{"app":"a"},"ports":[{"port":80}]}""", "SingleStack", """["IPv4"]""")]
    [InlineData("""{"clusterIP":"None","selector":{"app":"a"},"ipFamilyPolicy":"PreferDualStack","ports":[{"port":80}]}""", "PreferDualStack", """["IPv4"]""")]
    [InlineData("""{"ports":[{"port":80}]}""", "SingleStack", """["IPv4"]""")]
    public async Task CreateService_PolicyAndFamiliesAsASingleStackClusterDefaultsThem(string spec, string policy, string families)
    {
        await using var sim = await KubeSimServer.StartAsync();

        var stored = sim.Create($$"""{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{{spec}}}""")["spec"]!;

        Assert.Equal(policy, stored["ipFamilyPolicy"]!.GetValue<string>());
        Assert.Equal(families, stored["ipFamilies"]!.ToJsonString());
    }

    [SkippableFact]
    public async Task KubectlCreateHeadlessServiceWithoutSelector_RequireDualStackBothFamilies()
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        await CreateWithKubectlAsync(kubectl, "h", "{clusterIP: None, ports: [{port: 80}]}");

        var result = (await kubectl.RunAsync("get", "svc", "h", "-o", "jsonpath={.spec.ipFamilyPolicy} {.spec.ipFamilies} {.spec.clusterIPs}")).Succeeded();

        Assert.Equal("""RequireDualStack ["IPv4","IPv6"] ["None"]""", result.Stdout);
    }

    [SkippableTheory]
    [InlineData("""{"clusterIP":"10.96.0.99","ports":[{"port":80}]}""",
        """spec.clusterIPs[0]: Invalid value: []string{"10.96.0.99"}: may not change once set""")]
    [InlineData("""{"clusterIP":"None","ports":[{"port":80}]}""",
        """spec.clusterIPs[0]: Invalid value: []string{"None"}: may not change once set""")]
    [InlineData("""{"clusterIP":"bad","ports":[{"port":80}]}""",
        """spec.clusterIPs[0]: Invalid value: "bad": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)""")]
    [InlineData("""{"ipFamilyPolicy":"","ports":[{"port":80}]}""",
        "spec.ipFamilyPolicy: Unsupported value: \"\": supported values: \"PreferDualStack\", \"RequireDualStack\", \"SingleStack\"")]
    public async Task KubectlReplaceService_ClusterIpChangedOrWrong_422StoredUnchanged(string spec, string cause)
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        var created = kubectl.Sim.Create("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"a"},"spec":{"ports":[{"port":80}]}}""");
        var file = kubectl.WriteFile("a.json", $$"""{"apiVersion":"v1","kind":"Service","metadata":{"name":"a"},"spec":{{spec}}}""");

        var result = await kubectl.RunAsync("replace", "-f", file);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"The Service \"a\" is invalid: {cause}", result.Stderr);
        Assert.True(JsonNode.DeepEquals(created, kubectl.Sim.Get("v1", "Service", "default", "a")));
    }

    // A changed address is ValidateServiceUpdate's cause, reported with ValidateService's own.
    [Fact]
    public async Task ReplaceService_ChangedClusterIpAndBadPort_BothCausesInOne422()
    {
        await using var sim = await KubeSimServer.StartAsync();
        var created = sim.Create("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"a"},"spec":{"clusterIP":"10.96.0.7","ports":[{"port":80}]}}""");
        using var http = sim.CreateHttpClient();
        var body = created.DeepClone().AsObject();
        body["spec"]!["clusterIP"] = "10.96.0.8";
        body["spec"]!.AsObject().Remove("clusterIPs");
        body["spec"]!["ports"] = JsonNode.Parse("""[{"port":0}]""");

        using var response = await http.PutAsync("api/v1/namespaces/default/services/a", new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));

        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(422, (int)response.StatusCode);
        Assert.Equal("""Service "a" is invalid: [spec.clusterIPs[0]: Invalid value: []string{"10.96.0.8"}: may not change once set, """ +
            "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive]", status["message"]!.GetValue<string>());
    }

    // Go decodes into structs: an omitempty field holding "", 0, false or an empty list is neither stored nor returned.
    [SkippableFact]
    public async Task KubectlCreateService_EmptyOmitemptyFields_NotStoredNorReturned()
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        await CreateWithKubectlAsync(kubectl, "s", """
            {externalTrafficPolicy: "", loadBalancerIP: "", externalName: "", clusterIP: "", healthCheckNodePort: 0,
             publishNotReadyAddresses: false, externalIPs: [], selector: {}, ports: [{name: "", port: 80, nodePort: 0}]}
            """);

        var spec = JsonNode.Parse((await kubectl.RunAsync("get", "svc", "s", "-o", "json")).Succeeded().Stdout)!["spec"]!.AsObject();

        foreach (var field in new[] { "externalTrafficPolicy", "loadBalancerIP", "externalName", "healthCheckNodePort", "publishNotReadyAddresses", "externalIPs", "selector" })
        {
            Assert.False(spec.ContainsKey(field), $"spec.{field} was returned: {spec.ToJsonString()}");
        }
        Assert.Equal("""[{"port":80,"protocol":"TCP","targetPort":80}]""", spec["ports"]!.ToJsonString());
        Assert.NotEqual("", spec["clusterIP"]!.GetValue<string>());
    }

    // kubectl create -f of a Service manifest in YAML, as a user writes one.
    private static async Task CreateWithKubectlAsync(Kubectl kubectl, string name, string spec)
    {
        var file = kubectl.WriteFile($"{name}.yaml", $"apiVersion: v1\nkind: Service\nmetadata: {{name: {name}}}\nspec: {spec}\n");
        (await kubectl.RunAsync("create", "-f", file)).Succeeded();
    }
}
