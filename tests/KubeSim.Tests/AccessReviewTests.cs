using System.Text.Json.Nodes;
using static Plexus.KubeSim.Tests.ErrorAnswerTests;

namespace Plexus.KubeSim.Tests;

/// <summary>SelfSubjectAccessReview and SelfSubjectRulesReview over HTTP: discovery, the answers, and refusals.</summary>
public sealed class AccessReviewTests
{
    private const string Path = "apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
    private const string RulesPath = "apis/authorization.k8s.io/v1/selfsubjectrulesreviews";

    [Theory]
    [InlineData("selfsubjectaccessreviews", "SelfSubjectAccessReview")]
    [InlineData("selfsubjectrulesreviews", "SelfSubjectRulesReview")]
    public async Task Discovery_AuthorizationGroup_ListsCreateOnlyReview(string resource, string kind)
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();

        var (code, list) = await SendAsync(http, HttpMethod.Get, "apis/authorization.k8s.io/v1");

        Assert.Equal(200, code);
        var review = list["resources"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == resource)!;
        Assert.Equal(kind, review["kind"]!.GetValue<string>());
        Assert.False(review["namespaced"]!.GetValue<bool>());
        Assert.Equal(["create"], review["verbs"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public async Task CreateRulesReview_Namespace_201EveryVerbOnEverythingNothingStored()
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();
        var before = sim.ResourceVersion;

        var (code, answer) = await SendAsync(http, HttpMethod.Post, RulesPath,
            """{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectRulesReview","spec":{"namespace":"x"}}""");

        Assert.Equal(201, code);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"kind":"SelfSubjectRulesReview","apiVersion":"authorization.k8s.io/v1","metadata":{"creationTimestamp":null},"spec":{},
             "status":{"resourceRules":[{"verbs":["*"],"apiGroups":["*"],"resources":["*"]}],
                       "nonResourceRules":[{"verbs":["*"],"nonResourceURLs":["*"]}],"incomplete":false}}
            """), answer), answer.ToJsonString());
        Assert.Equal(before, sim.ResourceVersion);
    }

    [Theory]
    [InlineData("""{"spec":{}}""")]
    [InlineData("""{"spec":{"namespace":""}}""")]
    [InlineData("""{}""")]
    public async Task CreateRulesReview_NoNamespace_400(string body)
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();

        var (code, status) = await SendAsync(http, HttpMethod.Post, RulesPath, body);

        Assert.Equal(400, code);
        AssertStatus(status, 400, "BadRequest");
        Assert.Equal("no namespace on request", status["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_ResourceAttributes_201AllowedSpecEchoedNothingStored()
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();
        var before = sim.ResourceVersion;

        var (code, answer) = await SendAsync(http, HttpMethod.Post, Path,
            """{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","spec":{"resourceAttributes":{"verb":"create","resource":"pods","namespace":"x"}}}""");

        Assert.Equal(201, code);
        Assert.Equal("SelfSubjectAccessReview", answer["kind"]!.GetValue<string>());
        Assert.True(answer["status"]!["allowed"]!.GetValue<bool>());
        Assert.Equal("pods", answer["spec"]!["resourceAttributes"]!["resource"]!.GetValue<string>());
        Assert.Equal(before, sim.ResourceVersion);
    }

    [Theory]
    [InlineData("""{"spec":{}}""", "spec.resourceAttributes")]
    [InlineData("""{"spec":{"resourceAttributes":{"verb":"get"},"nonResourceAttributes":{"path":"/healthz","verb":"get"}}}""", "spec.nonResourceAttributes")]
    public async Task Create_NotExactlyOneAttributes_422(string body, string field)
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();

        var (code, status) = await SendAsync(http, HttpMethod.Post, Path, body);

        Assert.Equal(422, code);
        AssertStatus(status, 422, "Invalid");
        Assert.Equal(field, status["details"]!["causes"]![0]!["field"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(Path)]
    [InlineData(RulesPath)]
    public async Task List_CreateOnlyResource_405(string path)
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();

        var (code, status) = await SendAsync(http, HttpMethod.Get, path);

        Assert.Equal(405, code);
        AssertStatus(status, 405, "MethodNotAllowed");
    }
}
