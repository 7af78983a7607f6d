using System.Text.Json.Nodes;

namespace Plexus.Deploy.Tests;

/// <summary>
/// The manifests as a cluster sees them: the real kubectl applies them to the API simulator
/// (server-side dry run first, then for real) and reads every object back.
/// </summary>
public sealed class ApplyTests
{
    private static readonly CancellationToken Token = CancellationToken.None;

    [SkippableFact]
    public async Task Apply_InstallManifests_ServerStoresEveryObjectAsWritten()
    {
        var missing = KubeSimProcess.MissingPrerequisite();
        Skip.If(missing is not null, missing);
        await using var sim = await KubeSimProcess.StartAsync(Token);

        await sim.KubectlOkAsync(Token, "apply", "--dry-run=server", "-f", RepoLayout.DeployFile("crd.yaml"));
        await sim.KubectlOkAsync(Token, "apply", "-f", RepoLayout.DeployFile("crd.yaml"));
        foreach (var file in Manifests.InstallFiles.Skip(1))
        {
            await sim.KubectlOkAsync(Token, "apply", "--dry-run=server", "-f", RepoLayout.DeployFile(file));
            await sim.KubectlOkAsync(Token, "apply", "-f", RepoLayout.DeployFile(file));
        }

        foreach (var written in Manifests.Load(Manifests.InstallFiles).All)
        {
            var stored = await GetAsync(sim, written);
            // The server may add defaults; everything the manifest says must be there unchanged.
            Assert.Equal([], JsonSubset.Differences(Without(written, "metadata"), Without(stored, "metadata"), ""));
        }
    }

    [SkippableFact]
    public async Task Apply_ExampleNadAndPod_ListedByShortNameWithTheirAnnotation()
    {
        var missing = KubeSimProcess.MissingPrerequisite();
        Skip.If(missing is not null, missing);
        await using var sim = await KubeSimProcess.StartAsync(Token);
        await sim.KubectlOkAsync(Token, "apply", "-f", RepoLayout.DeployFile("crd.yaml"));

        await sim.KubectlOkAsync(Token, "apply", "-f", RepoLayout.DeployFile("examples/macvlan-nad.yaml"), "-f", RepoLayout.DeployFile("examples/pod.yaml"));

        var nads = await sim.KubectlOkAsync(Token, "get", "net-attach-def", "-A", "-o", "name");
        Assert.Equal("networkattachmentdefinition.k8s.cni.cncf.io/macvlan-data", nads.Trim());
        var annotation = await sim.KubectlOkAsync(Token, "get", "pod", "plexus-sample", "-o",
            "jsonpath={.metadata.annotations.k8s\\.v1\\.cni\\.cncf\\.io/networks}");
        Assert.Equal("macvlan-data@data0", annotation);
    }

    [SkippableFact]
    public async Task Apply_NadBeforeItsCrd_IsUnknownToTheServer()
    {
        // Proves the server's discovery is what accepts the NADs above: without the CRD the kind is unknown.
        var missing = KubeSimProcess.MissingPrerequisite();
        Skip.If(missing is not null, missing);
        await using var sim = await KubeSimProcess.StartAsync(Token);

        var outcome = await sim.KubectlAsync(Token, "apply", "--validate=false", "--dry-run=server", "-f",
            RepoLayout.DeployFile("examples/macvlan-nad.yaml"));

        Assert.NotEqual(0, outcome.ExitCode);
        Assert.Contains("no matches for kind \"NetworkAttachmentDefinition\" in version \"k8s.cni.cncf.io/v1\"", outcome.Stderr);
    }

    private static JsonObject Without(JsonObject obj, string key)
    {
        var copy = obj.DeepClone().AsObject();
        copy.Remove(key);
        return copy;
    }

    private static async Task<JsonObject> GetAsync(KubeSimProcess sim, JsonObject written)
    {
        var kind = Manifests.Str(written, "kind")!;
        var apiVersion = Manifests.Str(written, "apiVersion")!;
        var group = apiVersion.Contains('/') ? "." + apiVersion.Split('/')[0] : "";
        var resource = kind == "CustomResourceDefinition" ? "customresourcedefinitions.apiextensions.k8s.io" : kind.ToLowerInvariant() + group;
        var name = Manifests.Str(written["metadata"], "name")!;
        string[] ns = Manifests.Str(written["metadata"], "namespace") is { } n ? ["-n", n] : [];
        var json = await sim.KubectlOkAsync(Token, ["get", resource, name, "-o", "json", .. ns]);
        return JsonNode.Parse(json)!.AsObject();
    }
}
