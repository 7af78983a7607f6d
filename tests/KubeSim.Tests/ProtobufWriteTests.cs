using System.Net.Http.Headers;
using System.Text.Json.Nodes;
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
