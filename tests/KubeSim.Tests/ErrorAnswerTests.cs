using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Plexus.KubeSim.Tests;

/// <summary>Bad requests get the real API server's Status answers (code, reason, message).</summary>
public sealed class ErrorAnswerTests
{
    private const string PodJson = """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"a","image":"i"}]}}""";

    [Fact]
    public async Task Create_MalformedJson_400BadRequest()
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();

        var (code, status) = await SendAsync(http, HttpMethod.Post, "api/v1/namespaces/default/pods", """{"apiVersion":"v1",""");

        Assert.Equal(400, code);
        AssertStatus(status, 400, "BadRequest");
        Assert.Empty(sim.List("v1", "Pod", "default"));
    }

    [Theory]
    [InlineData("apis/example.com/v1/namespaces/default/widgets")]
    [InlineData("api/v1/namespaces/default/gizmos")]
    [InlineData("apis/k8s.cni.cncf.io/v1/namespaces/default/network-attachment-definitions")]
    [InlineData("api/v1/namespaces/default/pods/p/exec-not-served")]
    public async Task Get_UnknownResource_404NotFound(string path)
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();

        var (code, status) = await SendAsync(http, HttpMethod.Get, path);

        Assert.Equal(404, code);
        AssertStatus(status, 404, "NotFound");
        Assert.Equal("the server could not find the requested resource", status["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_MissingObject_404WithDetails()
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();

        var (code, status) = await SendAsync(http, HttpMethod.Get, "api/v1/namespaces/default/pods/nope");

        Assert.Equal(404, code);
        AssertStatus(status, 404, "NotFound");
        Assert.Equal("pods \"nope\" not found", status["message"]!.GetValue<string>());
        Assert.Equal("nope", status["details"]!["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-token")]
    [InlineData("Basic dXNlcjpwYXNz")]
    public async Task Request_MissingOrWrongToken_401Unauthorized(string? authorization)
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();
        http.DefaultRequestHeaders.Authorization = authorization is null ? null : AuthenticationHeaderValue.Parse(authorization);

        var (code, status) = await SendAsync(http, HttpMethod.Get, "api/v1/namespaces");
        var health = await http.GetAsync("healthz");

        Assert.Equal(401, code);
        AssertStatus(status, 401, "Unauthorized");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(0, sim.Requests.Total);
    }

    [Fact]
    public async Task TokenFile_Rotated_NewTokenAcceptedOldRejected()
    {
        var dir = Directory.CreateTempSubdirectory("kube-sim-token-");
        try
        {
            var file = Path.Combine(dir.FullName, "token");
            await using var sim = await KubeSimServer.StartAsync(new KubeSimOptions { TokenFile = file });
            using var http = sim.CreateHttpClient();
            var old = File.ReadAllText(file).Trim();
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            Assert.Equal(old, sim.Token);
            Assert.Equal(200, (await SendAsync(http, HttpMethod.Get, "api/v1/namespaces")).Code);

            await File.WriteAllTextAsync(file, "rotated-token\n");
            var withOld = await SendAsync(http, HttpMethod.Get, "api/v1/namespaces");
            http.DefaultRequestHeaders.Authorization = new("Bearer", "rotated-token");
            var withNew = await SendAsync(http, HttpMethod.Get, "api/v1/namespaces");

            Assert.Equal(401, withOld.Code);
            Assert.Equal(200, withNew.Code);
            Assert.Equal("rotated-token", sim.Token);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Create_ExistingName_409AlreadyExists()
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();

        var first = await SendAsync(http, HttpMethod.Post, "api/v1/namespaces/default/pods", PodJson);
        var second = await SendAsync(http, HttpMethod.Post, "api/v1/namespaces/default/pods", PodJson);

        Assert.Equal(201, first.Code);
        Assert.Equal(409, second.Code);
        AssertStatus(second.Body, 409, "AlreadyExists");
        Assert.Equal("pods \"p\" already exists", second.Body["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Update_StaleResourceVersion_409Conflict()
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();
        var pod = sim.CreatePod("default", "p");
        sim.Patch("v1", "Pod", "default", "p", """{"metadata":{"labels":{"a":"b"}}}""");

        var (code, status) = await SendAsync(http, HttpMethod.Put, "api/v1/namespaces/default/pods/p", pod.ToJsonString());

        Assert.Equal(409, code);
        AssertStatus(status, 409, "Conflict");
        Assert.Equal("b", sim.Get("v1", "Pod", "default", "p")!["metadata"]!["labels"]!["a"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"Bad_Name"},"spec":{"containers":[{"name":"a","image":"i"}]}}""")]
    [InlineData("""{"apiVersion":"v1","kind":"Pod","metadata":{},"spec":{"containers":[{"name":"a","image":"i"}]}}""")]
    [InlineData("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{}}""")]
    public async Task Create_InvalidPod_422Invalid(string body)
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();

        var (code, status) = await SendAsync(http, HttpMethod.Post, "api/v1/namespaces/default/pods", body);

        Assert.Equal(422, code);
        AssertStatus(status, 422, "Invalid");
        Assert.NotEmpty(status["details"]!["causes"]!.AsArray());
        Assert.Empty(sim.List("v1", "Pod", "default"));
    }

    // errors.NewInvalid prints several causes as an aggregate, in brackets; each is a cause of its own.
    [Fact]
    public async Task Create_PodWithTwoProblems_422BothCausesInBrackets()
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();

        var (code, status) = await SendAsync(http, HttpMethod.Post, "api/v1/namespaces/default/pods",
            """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"Bad_Name"},"spec":{}}""");

        Assert.Equal(422, code);
        Assert.Equal("Pod \"Bad_Name\" is invalid: [metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of " +
            "lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character, spec.containers: Required value]",
            status["message"]!.GetValue<string>());
        Assert.Equal(["metadata.name", "spec.containers"], status["details"]!["causes"]!.AsArray().Select(c => c!["field"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Create_InMissingNamespace_404()
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();

        var (code, status) = await SendAsync(http, HttpMethod.Post, "api/v1/namespaces/absent/pods", PodJson);

        Assert.Equal(404, code);
        Assert.Equal("namespaces \"absent\" not found", status["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_KindMismatch_400()
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();

        var (code, status) = await SendAsync(http, HttpMethod.Post, "api/v1/namespaces/default/configmaps", PodJson);

        Assert.Equal(400, code);
        AssertStatus(status, 400, "BadRequest");
    }

    [Fact]
    public async Task Patch_StrategicMergeOnCustomResource_415()
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();
        sim.CreateNetworkAttachmentDefinition("default", "n", "{}");

        var (code, status) = await SendAsync(http, HttpMethod.Patch,
            "apis/k8s.cni.cncf.io/v1/namespaces/default/network-attachment-definitions/n", """{"spec":{"config":"x"}}""",
            "application/strategic-merge-patch+json");

        Assert.Equal(415, code);
        AssertStatus(status, 415, "UnsupportedMediaType");
    }

    [Fact]
    public async Task CreateDryRun_ValidPod_AnsweredNotStored()
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();
        var before = sim.ResourceVersion;

        var (code, created) = await SendAsync(http, HttpMethod.Post, "api/v1/namespaces/default/pods?dryRun=All", PodJson);

        Assert.Equal(201, code);
        Assert.Equal("p", created["metadata"]!["name"]!.GetValue<string>());
        Assert.Null(sim.Get("v1", "Pod", "default", "p"));
        Assert.Equal(before, sim.ResourceVersion);
    }

    internal static async Task<(int Code, JsonObject Body)> SendAsync(HttpClient http, HttpMethod method, string path, string? body = null,
        string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, contentType);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return ((int)response.StatusCode, JsonNode.Parse(text)!.AsObject());
    }

    internal static void AssertStatus(JsonObject status, int code, string reason)
    {
        Assert.Equal("Status", status["kind"]!.GetValue<string>());
        Assert.Equal("Failure", status["status"]!.GetValue<string>());
        Assert.Equal(code, status["code"]!.GetValue<int>());
        Assert.Equal(reason, status["reason"]!.GetValue<string>());
    }
}
