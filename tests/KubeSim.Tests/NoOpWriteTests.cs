using System.Text.Json.Nodes;
using Plexus.KubeSim.Tests.Support;
using static Plexus.KubeSim.Tests.ErrorAnswerTests;

namespace Plexus.KubeSim.Tests;

/// <summary>A write that changes nothing is skipped, as kube-apiserver does: same resourceVersion, no event.</summary>
public sealed class NoOpWriteTests
{
    private static CancellationToken Deadline() => new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token;

    public static TheoryData<string, string, string> NoOpWrites => new()
    {
        { "PUT", "the object as read", "application/json" },
        { "PATCH", """{"metadata":{"labels":{"app":"web"}}}""", "application/merge-patch+json" },
        { "PATCH", """{"metadata":{"labels":{"app":"web"}}}""", "application/strategic-merge-patch+json" },
        { "PATCH", """[{"op":"replace","path":"/spec/nodeName","value":"node-1"}]""", "application/json-patch+json" },
    };

    [Theory]
    [MemberData(nameof(NoOpWrites))]
    public async Task Write_ChangesNothing_SameResourceVersionNoWatchEvent(string method, string body, string contentType)
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();
        using var client = KubeClients.Create(sim);
        var ns = KubeClients.NewName("noop");
        var pod = sim.CreatePod(ns, "web", nodeName: "node-1", labels: new Dictionary<string, string> { ["app"] = "web" });
        var rv = pod["metadata"]!["resourceVersion"]!.GetValue<string>();
        var path = $"api/v1/namespaces/{ns}/pods/web";
        await using var watch = await HandWatch.StartAsync(client, $"api/v1/namespaces/{ns}/pods?watch=true&resourceVersion={rv}", Deadline());

        var (code, answered) = await SendAsync(http, new HttpMethod(method), path,
            method == "PUT" ? pod.ToJsonString() : body, contentType);
        var revisionAfterNoOp = sim.ResourceVersion;
        sim.Patch("v1", "Pod", ns, "web", """{"metadata":{"labels":{"app":"changed"}}}""");
        var next = await watch.NextAsync();

        Assert.Equal(200, code);
        Assert.Equal(rv, answered["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(pod, answered), answered.ToJsonString());
        Assert.Equal(long.Parse(rv), revisionAfterNoOp);
        Assert.Equal("MODIFIED", next!.Type);
        Assert.Equal("changed", next.Object.GetProperty("metadata").GetProperty("labels").GetProperty("app").GetString());
    }

    [Fact]
    public async Task Put_WithoutResourceVersionChangingOneField_NewResourceVersionAndEvent()
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();
        var ns = KubeClients.NewName("change");
        var pod = sim.CreatePod(ns, "web");
        var rv = pod["metadata"]!["resourceVersion"]!.GetValue<string>();
        pod["metadata"]!.AsObject().Remove("resourceVersion");
        pod["metadata"]!["annotations"] = new JsonObject { ["a"] = "b" };

        var (code, answered) = await SendAsync(http, HttpMethod.Put, $"api/v1/namespaces/{ns}/pods/web", pod.ToJsonString());

        Assert.Equal(200, code);
        Assert.NotEqual(rv, answered["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Equal(sim.ResourceVersion.ToString(), answered["metadata"]!["resourceVersion"]!.GetValue<string>());
    }
}
