using System.Text.Json.Nodes;
using Plexus.KubeSim.Tests.Support;
using static Plexus.KubeSim.Tests.ErrorAnswerTests;

namespace Plexus.KubeSim.Tests;

/// <summary>An object's identity (uid) and storage version are the server's: kube-apiserver's refusals.</summary>
public sealed class IdentityPreconditionTests
{
    private const string OtherUid = "0b0b0b0b-1111-2222-3333-444444444444";

    [Fact]
    public async Task Put_DifferentUid_409PreconditionFailedNothingStored()
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();
        var ns = KubeClients.NewName("uid");
        var pod = sim.CreatePod(ns, "web");
        var uid = pod["metadata"]!["uid"]!.GetValue<string>();
        var before = sim.ResourceVersion;
        pod["metadata"]!["uid"] = OtherUid;
        pod["metadata"]!["labels"] = new JsonObject { ["changed"] = "yes" };

        var (code, status) = await SendAsync(http, HttpMethod.Put, $"api/v1/namespaces/{ns}/pods/web", pod.ToJsonString());

        Assert.Equal(409, code);
        AssertStatus(status, 409, "Conflict");
        Assert.Equal($"Operation cannot be fulfilled on pods \"web\": StorageError: invalid object, Code: 4, Key: /registry/pods/{ns}/web, " +
            $"ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: {OtherUid}, UID in object meta: {uid}",
            status["message"]!.GetValue<string>());
        Assert.Equal(before, sim.ResourceVersion);
        Assert.Null(sim.Get("v1", "Pod", ns, "web")!["metadata"]!["labels"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("same")]
    public async Task Put_NoUidOrSameUid_Updated(string uidMode)
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();
        var ns = KubeClients.NewName("uid");
        var pod = sim.CreatePod(ns, "web");
        var uid = pod["metadata"]!["uid"]!.GetValue<string>();
        if (uidMode.Length == 0) pod["metadata"]!.AsObject().Remove("uid");
        pod["metadata"]!["labels"] = new JsonObject { ["changed"] = "yes" };

        var (code, updated) = await SendAsync(http, HttpMethod.Put, $"api/v1/namespaces/{ns}/pods/web", pod.ToJsonString());

        Assert.Equal(200, code);
        Assert.Equal(uid, updated["metadata"]!["uid"]!.GetValue<string>());
        Assert.Equal("yes", updated["metadata"]!["labels"]!["changed"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("application/merge-patch+json", """{"metadata":{"uid":"0b0b0b0b-1111-2222-3333-444444444444"}}""")]
    [InlineData("application/strategic-merge-patch+json", """{"metadata":{"uid":"0b0b0b0b-1111-2222-3333-444444444444"}}""")]
    [InlineData("application/json-patch+json", """[{"op":"replace","path":"/metadata/uid","value":"0b0b0b0b-1111-2222-3333-444444444444"}]""")]
    public async Task Patch_ChangingUid_422FieldIsImmutable(string contentType, string patch)
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();
        var ns = KubeClients.NewName("uid");
        var uid = sim.CreatePod(ns, "web")["metadata"]!["uid"]!.GetValue<string>();
        var before = sim.ResourceVersion;

        var (code, status) = await SendAsync(http, HttpMethod.Patch, $"api/v1/namespaces/{ns}/pods/web", patch, contentType);

        Assert.Equal(422, code);
        AssertStatus(status, 422, "Invalid");
        Assert.Equal($"Pod \"web\" is invalid: metadata.uid: Invalid value: \"{OtherUid}\": field is immutable", status["message"]!.GetValue<string>());
        Assert.Equal("metadata.uid", status["details"]!["causes"]![0]!["field"]!.GetValue<string>());
        Assert.Equal(before, sim.ResourceVersion);
        Assert.Equal(uid, sim.Get("v1", "Pod", ns, "web")!["metadata"]!["uid"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("pods", "")]
    [InlineData("pods/web/status", "")]
    [InlineData("pods/web", "")]
    [InlineData("pods/web/status", "exactly")]
    public async Task Annotations_OverTheTotalLimit_422NothingStored(string path, string size)
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();
        var ns = KubeClients.NewName("ann");
        sim.CreatePod(ns, "web");
        var before = sim.ResourceVersion;
        // Keys and values count together; exactly the limit is still allowed.
        var value = new string('x', size == "exactly" ? 256 * 1024 - 1 : 256 * 1024);
        var metadata = new JsonObject { ["name"] = path == "pods" ? "big" : "web", ["annotations"] = new JsonObject { ["a"] = value } }.ToJsonString();

        var (code, status) = path == "pods"
            ? await SendAsync(http, HttpMethod.Post, $"api/v1/namespaces/{ns}/pods",
                """{"apiVersion":"v1","kind":"Pod","metadata":""" + metadata + ""","spec":{"containers":[{"name":"c","image":"i"}]}}""")
            : await SendAsync(http, HttpMethod.Patch, $"api/v1/namespaces/{ns}/{path}", "{\"metadata\":" + metadata + "}", "application/merge-patch+json");

        if (size == "exactly")
        {
            Assert.Equal(200, code);
            return;
        }
        Assert.Equal(422, code);
        Assert.EndsWith("is invalid: metadata.annotations: Too long: must have at most 262144 bytes", status["message"]!.GetValue<string>());
        Assert.Equal("metadata.annotations", status["details"]!["causes"]![0]!["field"]!.GetValue<string>());
        Assert.Equal(before, sim.ResourceVersion);
    }

    [Fact]
    public async Task Create_ResourceVersionSet_500NotStored()
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();
        var before = sim.ResourceVersion;

        var (code, status) = await SendAsync(http, HttpMethod.Post, "api/v1/namespaces/default/configmaps",
            """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","resourceVersion":"42"},"data":{"k":"v"}}""");

        Assert.Equal(500, code);
        Assert.Equal("Failure", status["status"]!.GetValue<string>());
        Assert.Equal(500, status["code"]!.GetValue<int>());
        Assert.Null(status["reason"]);
        Assert.Equal("resourceVersion should not be set on objects to be created", status["message"]!.GetValue<string>());
        Assert.Null(sim.Get("v1", "ConfigMap", "default", "c"));
        Assert.Equal(before, sim.ResourceVersion);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("")]
    public async Task Create_ResourceVersionZeroOrNotANumber_CreatedWithServerVersion(string rv)
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();

        var (code, created) = await SendAsync(http, HttpMethod.Post, "api/v1/namespaces/default/configmaps",
            $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","resourceVersion":"{{{rv}}}"}}""");

        Assert.Equal(201, code);
        Assert.Equal(sim.ResourceVersion.ToString(), created["metadata"]!["resourceVersion"]!.GetValue<string>());
    }
}
