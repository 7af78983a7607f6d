using System.Text.Json.Nodes;
using static Plexus.KubeSim.Tests.ErrorAnswerTests;

namespace Plexus.KubeSim.Tests;

/// <summary>SelfSubjectAccessReview over HTTP: discovery, the allowed answer, and refusals.</summary>
public sealed class AccessReviewTests
{
    private const string Path = "apis/authorization.k8s.io/v1/selfsubjectaccessreviews";

    [Fact]
    public async Task Discovery_AuthorizationGroup_ListsCreateOnlyReview()
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();

        var (code, list) = await SendAsync(http, HttpMethod.Get, "apis/authorization.k8s.io/v1");

        Assert.Equal(200, code);
        var review = list["resources"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == "selfsubjectaccessreviews")!;
        Assert.Equal("SelfSubjectAccessReview", review["kind"]!.GetValue<string>());
        Assert.False(review["namespaced"]!.GetValue<bool>());
        Assert.Equal(["create"], review["verbs"]!.AsArray().Select(v => v!.GetValue<string>()));
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

    [Fact]
    public async Task List_CreateOnlyResource_405()
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();

        var (code, status) = await SendAsync(http, HttpMethod.Get, Path);

        Assert.Equal(405, code);
        AssertStatus(status, 405, "MethodNotAllowed");
    }
}
