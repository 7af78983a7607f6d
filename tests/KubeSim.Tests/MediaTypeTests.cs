using static Plexus.KubeSim.Tests.ErrorAnswerTests;

namespace Plexus.KubeSim.Tests;

/// <summary>
/// JSON bodies are decoded for every kind, protobuf for the built-in kinds kubectl's generators and
/// client-go programs send (ProtobufWriteTests), not CRDs: anything else is refused 415 with a Status
/// saying what is accepted, never misparsed.
/// </summary>
public sealed class MediaTypeTests
{
    private const string ConfigMap = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"k":"v"}}""";
    private const string Crd = """
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"cs.example.com"},
         "spec":{"group":"example.com","scope":"Namespaced","names":{"plural":"cs","singular":"c","kind":"C"},
                 "versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object"}}}]}}
        """;

    [Theory]
    [InlineData("POST", "application/vnd.kubernetes.protobuf", "customresourcedefinitions", "application/json")]
    [InlineData("POST", "application/yaml", "customresourcedefinitions", "application/json")]
    [InlineData("POST", "application/cbor", "customresourcedefinitions", "application/json")]
    [InlineData("POST", "text/plain", "customresourcedefinitions", "application/json")]
    [InlineData("PUT", "application/vnd.kubernetes.protobuf", "customresourcedefinitions", "application/json")]
    [InlineData("PUT", "application/merge-patch+json", "customresourcedefinitions", "application/json")]
    [InlineData("POST", "application/yaml", "configmaps", "application/json, application/vnd.kubernetes.protobuf")]
    [InlineData("PUT", "application/cbor", "configmaps", "application/json, application/vnd.kubernetes.protobuf")]
    [InlineData("PUT", "application/merge-patch+json", "configmaps", "application/json, application/vnd.kubernetes.protobuf")]
    public async Task Write_UnacceptedBody_415ListsAcceptedNothingStored(string method, string contentType, string resource, string accepted)
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();
        var crd = resource == "customresourcedefinitions";
        var path = (crd ? "apis/apiextensions.k8s.io/v1/customresourcedefinitions" : $"api/v1/namespaces/default/{resource}") +
            (method == "PUT" ? crd ? "/cs.example.com" : "/c" : "");
        var json = crd ? Crd : ConfigMap;
        if (method == "PUT") sim.Create(json);
        var before = sim.ResourceVersion;

        var (code, status) = await SendAsync(http, new HttpMethod(method), path, json.Replace("\"v\"", "\"changed\""), contentType);

        Assert.Equal(415, code);
        AssertStatus(status, 415, "UnsupportedMediaType");
        Assert.Equal($"the body of the request was in an unknown format - accepted media types include: {accepted} " +
            $"(got {contentType})", status["message"]!.GetValue<string>());
        Assert.Equal(before, sim.ResourceVersion);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("Application/JSON")]
    public async Task Create_JsonBody_201(string contentType)
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();

        var (code, _) = await SendAsync(http, HttpMethod.Post, "api/v1/namespaces/default/configmaps", ConfigMap, contentType);

        Assert.Equal(201, code);
        Assert.NotNull(sim.Get("v1", "ConfigMap", "default", "c"));
    }

    [Theory]
    [InlineData("application/json", "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, " +
        "application/apply-patch+json, application/strategic-merge-patch+json")]
    [InlineData("application/vnd.kubernetes.protobuf", "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, " +
        "application/apply-patch+json, application/strategic-merge-patch+json")]
    public async Task Patch_NotAPatchType_415ListsPatchTypes(string contentType, string accepted)
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();
        sim.Create(ConfigMap);
        var before = sim.ResourceVersion;

        var (code, status) = await SendAsync(http, HttpMethod.Patch, "api/v1/namespaces/default/configmaps/c", """{"data":{"k":"x"}}""", contentType);

        Assert.Equal(415, code);
        AssertStatus(status, 415, "UnsupportedMediaType");
        Assert.Equal($"the body of the request was in an unknown format - accepted media types include: {accepted} (got {contentType})",
            status["message"]!.GetValue<string>());
        Assert.Equal(before, sim.ResourceVersion);
    }
}
