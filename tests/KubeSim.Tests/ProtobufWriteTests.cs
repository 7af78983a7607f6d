using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Plexus.KubeSim.Tests.Support;
using static Plexus.KubeSim.Tests.ErrorAnswerTests;
using static Plexus.KubeSim.Tests.Support.Proto;

namespace Plexus.KubeSim.Tests;

/// <summary>Protobuf create and update bodies over HTTP: stored like their JSON form, answered in JSON, refused whole when bad.</summary>
public sealed class ProtobufWriteTests
{
    private const string ConfigMaps = "api/v1/namespaces/default/configmaps";

    [Fact]
    public async Task Create_ProtobufConfigMap_201JsonAnswerStored()
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();
        var body = Envelope("v1", "ConfigMap", Concat(Bytes(1, Concat(Text(1, "c"), Text(3, "default"), MapEntry(11, "app", "x"))),
            MapEntry(2, "k", "v"), Bytes(3, Concat(Text(1, "b"), Bytes(2, [1, 2])))));

        var (code, answer) = await SendProtobufAsync(http, HttpMethod.Post, ConfigMaps, body);

        Assert.Equal(201, code);
        var stored = sim.Get("v1", "ConfigMap", "default", "c")!;
        Assert.True(JsonNode.DeepEquals(stored, answer), answer.ToJsonString());
        Assert.Equal("v", stored["data"]!["k"]!.GetValue<string>());
        Assert.Equal("AQI=", stored["binaryData"]!["b"]!.GetValue<string>());
        Assert.Equal("x", stored["metadata"]!["labels"]!["app"]!.GetValue<string>());
        Assert.NotEmpty(stored["metadata"]!["uid"]!.GetValue<string>());
    }

    [Fact]
    public async Task Update_ProtobufConfigMap_200Replaced()
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();
        sim.Create("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"default"},"data":{"k":"v"}}""");
        var body = Envelope("v1", "ConfigMap", Concat(Bytes(1, Text(1, "c")), MapEntry(2, "k", "changed"), Int(4, 1)));

        var (code, answer) = await SendProtobufAsync(http, HttpMethod.Put, ConfigMaps + "/c", body);

        Assert.Equal(200, code);
        Assert.Equal("changed", answer["data"]!["k"]!.GetValue<string>());
        Assert.True(sim.Get("v1", "ConfigMap", "default", "c")!["immutable"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("truncated", "k8s\0\u0012\u0005")]
    [InlineData("JSON sent as protobuf", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}""")]
    public async Task Create_MalformedProtobuf_400NothingStored(string what, string text)
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();
        var before = sim.ResourceVersion;

        var (code, status) = await SendProtobufAsync(http, HttpMethod.Post, ConfigMaps, System.Text.Encoding.Latin1.GetBytes(text));

        Assert.True(code == 400, what);
        AssertStatus(status, 400, "BadRequest");
        Assert.StartsWith("the object provided is unrecognized (must be of type ConfigMap): protobuf: ", status["message"]!.GetValue<string>());
        Assert.Equal(before, sim.ResourceVersion);
        Assert.Empty(sim.List("v1", "ConfigMap", "default"));
    }

    [Fact]
    public async Task Create_ProtobufForOtherNamespace_400AsForJson()
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();

        var (code, status) = await SendProtobufAsync(http, HttpMethod.Post, ConfigMaps,
            Envelope("v1", "ConfigMap", Bytes(1, Concat(Text(1, "c"), Text(3, "kube-system")))));

        Assert.Equal(400, code);
        Assert.Equal("the namespace of the provided object does not match the namespace sent on the request", status["message"]!.GetValue<string>());
    }

    // Leader election and the event recorder of a client-go client set to protobuf (as Multus's is) write these; kubectl reads them back.
    [SkippableFact]
    public async Task Create_ProtobufLeaseAndEvent_StoredAndShownByKubectl()
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        var sim = kubectl.Sim;
        using var http = sim.CreateHttpClient();
        var lease = Concat(Bytes(1, Concat(Text(1, "plexus-leader"), Text(3, "kube-system"))),
            Bytes(2, Concat(Text(1, "node-1"), Int(2, 15), Bytes(4, Concat(Int(1, 1_700_000_000), Int(2, 5_000))))));
        var involved = Concat(Text(1, "Pod"), Text(2, "default"), Text(3, "web"));
        var recorded = Concat(Bytes(1, Concat(Text(1, "web.1"), Text(3, "default"))), Bytes(2, involved), Text(3, "AddedInterface"),
            Text(4, "Add eth1 from default/macvlan"), Bytes(5, Text(1, "multus")), Text(9, "Normal"));

        var (leaseCode, _) = await SendProtobufAsync(http, HttpMethod.Post, "apis/coordination.k8s.io/v1/namespaces/kube-system/leases",
            Envelope("coordination.k8s.io/v1", "Lease", lease));
        var (eventCode, _) = await SendProtobufAsync(http, HttpMethod.Post, "api/v1/namespaces/default/events", Envelope("v1", "Event", recorded));

        Assert.Equal(201, leaseCode);
        Assert.Equal(201, eventCode);
        Assert.Equal("2023-11-14T22:13:20.000005Z", sim.Get("coordination.k8s.io/v1", "Lease", "kube-system", "plexus-leader")!["spec"]!["renewTime"]!.GetValue<string>());
        var leases = KubectlTableKindsTests.Table((await kubectl.RunAsync("get", "leases", "-n", "kube-system")).Succeeded().Stdout);
        Assert.Equal(["plexus-leader", "node-1"], leases.Row("plexus-leader")[..2]);
        var events = (await kubectl.RunAsync("get", "events", "-o", "jsonpath={.items[0].reason}/{.items[0].source.component}/{.items[0].involvedObject.name}")).Succeeded().Stdout;
        Assert.Equal("AddedInterface/multus/web", events);
    }

    // client-go's events library writes events.k8s.io/v1; core v1 readers see the same event under their field names.
    [Fact]
    public async Task Create_ProtobufEventsV1Event_ReadAsCoreEvent()
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();
        var raw = Concat(Bytes(1, Text(1, "web.2")), Bytes(2, Int(1, 1_700_000_000)), Text(4, "example.com/agent"), Text(5, "agent-1"),
            Text(6, "Attach"), Text(7, "Attached"), Bytes(8, Concat(Text(1, "Pod"), Text(2, "default"), Text(3, "web"))), Text(10, "eth1 attached"),
            Text(11, "Normal"));

        var (code, _) = await SendProtobufAsync(http, HttpMethod.Post, "apis/events.k8s.io/v1/namespaces/default/events",
            Envelope("events.k8s.io/v1", "Event", raw));

        Assert.Equal(201, code);
        var core = sim.Get("v1", "Event", "default", "web.2")!;
        Assert.Equal("eth1 attached", core["message"]!.GetValue<string>());
        Assert.Equal("example.com/agent", core["reportingComponent"]!.GetValue<string>());
        Assert.Equal("web", core["involvedObject"]!["name"]!.GetValue<string>());
    }

    internal static async Task<(int Code, JsonObject Body)> SendProtobufAsync(HttpClient http, HttpMethod method, string path, byte[] body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.kubernetes.protobuf");
        // What client-go asks for: protobuf first, JSON as the fallback the simulator answers with.
        request.Headers.Accept.ParseAdd("application/vnd.kubernetes.protobuf,application/json");
        using var response = await http.SendAsync(request);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }
}
