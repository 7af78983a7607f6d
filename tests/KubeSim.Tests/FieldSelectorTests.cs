using Plexus.KubeSim.Tests.Support;
using static Plexus.KubeSim.Tests.ErrorAnswerTests;

namespace Plexus.KubeSim.Tests;

/// <summary>Field selectors over HTTP and kubectl: supported fields select, others are refused 400.</summary>
public sealed class FieldSelectorTests
{
    [Theory]
    [InlineData("api/v1/pods?fieldSelector=spec.bogus%3Dx", "field label not supported: spec.bogus")]
    [InlineData("api/v1/pods?watch=true&fieldSelector=spec.bogus%3Dx", "field label not supported: spec.bogus")]
    [InlineData("apis/k8s.cni.cncf.io/v1/network-attachment-definitions?fieldSelector=spec.config%3Dx", "field label not supported: spec.config")]
    // events.k8s.io/v1 has its own labels (regarding.*, reportingController): the core spellings are refused, and core refuses its.
    [InlineData("apis/events.k8s.io/v1/events?fieldSelector=involvedObject.name%3Dweb", "field label not supported: involvedObject.name")]
    [InlineData("apis/events.k8s.io/v1/events?fieldSelector=reportingComponent%3Dplexusd", "field label not supported: reportingComponent")]
    [InlineData("apis/events.k8s.io/v1/events?fieldSelector=note%3Dx", "field label not supported: note")]
    [InlineData("apis/events.k8s.io/v1/events?fieldSelector=deprecatedSource.component%3Dx", "field label not supported: deprecatedSource.component")]
    [InlineData("apis/events.k8s.io/v1/namespaces/default/events?watch=true&fieldSelector=regarding%3Dx", "field label not supported: regarding")]
    [InlineData("api/v1/namespaces/default/events?fieldSelector=regarding.name%3Dweb", "field label not supported: regarding.name")]
    [InlineData("api/v1/namespaces/default/configmaps?fieldSelector=data.k%3Dv",
        "\"data.k\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"")]
    public async Task List_UnsupportedField_400(string path, string message)
    {
        await using var sim = await KubeSimServer.StartAsync();
        sim.InstallNetworkAttachmentDefinitionCrd();
        using var http = sim.CreateHttpClient();

        var (code, status) = await SendAsync(http, HttpMethod.Get, path);

        Assert.Equal(400, code);
        AssertStatus(status, 400, "BadRequest");
        Assert.Equal(message, status["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task List_CustomResourceByName_Selected()
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();
        sim.CreateNetworkAttachmentDefinition("default", "a", "{}");
        sim.CreateNetworkAttachmentDefinition("default", "b", "{}");

        var (code, list) = await SendAsync(http, HttpMethod.Get,
            "apis/k8s.cni.cncf.io/v1/network-attachment-definitions?fieldSelector=metadata.name%3Db,metadata.namespace%3Ddefault");

        Assert.Equal(200, code);
        Assert.Equal(["b"], list["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()));
    }

    [SkippableFact]
    public async Task KubectlGet_UnsupportedPodField_ServerError()
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();

        var result = await kubectl.RunAsync("get", "pods", "-A", "--field-selector", "spec.containers=x");

        Assert.NotEqual(0, result.ExitCode);
        // kubectl prefixes "Unable to find ... that match label selector ..." to the server's message.
        Assert.StartsWith("Error from server (BadRequest): ", result.Stderr);
        Assert.Contains("\"spec.containers=x\": field label not supported: spec.containers", result.Stderr);
    }
}
