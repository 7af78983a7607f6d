using Plexus.KubeSim.Tests.Support;

namespace Plexus.KubeSim.Tests;

/// <summary>In-process lifecycle: persistence across restarts, CRD-driven discovery, cascades.</summary>
public sealed class KubeSimServerTests
{
    [Fact]
    public async Task StateDir_Restart_ObjectsAndCrdResourcesSurviveOldWatchesExpire()
    {
        var dir = Directory.CreateTempSubdirectory("kube-sim-state-");
        try
        {
            long revision;
            await using (var first = await KubeSimServer.StartAsync(new KubeSimOptions { StateDir = dir.FullName }))
            {
                first.CreateNetworkAttachmentDefinition("default", "kept", "{}");
                revision = first.ResourceVersion;
            }

            await using var second = await KubeSimServer.StartAsync(new KubeSimOptions { StateDir = dir.FullName });
            using var http = second.CreateHttpClient();
            var (code, nad) = await ErrorAnswerTests.SendAsync(http, HttpMethod.Get,
                "apis/k8s.cni.cncf.io/v1/namespaces/default/network-attachment-definitions/kept");

            Assert.Equal(200, code);
            Assert.Equal("{}", nad["spec"]!["config"]!.GetValue<string>());
            Assert.Equal(revision, second.ResourceVersion);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dir.FullName));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task DeleteCrd_WithObjects_ResourceLeavesDiscoveryAndObjectsGo()
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();
        sim.CreateNetworkAttachmentDefinition("default", "n", "{}");
        var served = await http.GetAsync("apis/k8s.cni.cncf.io/v1");

        var (deleted, _) = await ErrorAnswerTests.SendAsync(http, HttpMethod.Delete,
            "apis/apiextensions.k8s.io/v1/customresourcedefinitions/network-attachment-definitions.k8s.cni.cncf.io");
        var gone = await http.GetAsync("apis/k8s.cni.cncf.io/v1");

        Assert.True(served.IsSuccessStatusCode);
        Assert.Equal(200, deleted);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.StatusCode);
        sim.InstallNetworkAttachmentDefinitionCrd();
        Assert.Empty(sim.List(KnownManifests.NadApiVersion, KnownManifests.NadKind, "default"));
    }

    [Fact]
    public async Task DeleteNamespace_WithPods_PodsDeletedToo()
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();
        var ns = KubeClients.NewName("cascade");
        sim.CreatePod(ns, "a");
        sim.CreatePod("default", "other");

        var (code, _) = await ErrorAnswerTests.SendAsync(http, HttpMethod.Delete, $"api/v1/namespaces/{ns}");

        Assert.Equal(200, code);
        Assert.Empty(sim.List("v1", "Pod", ns));
        Assert.NotNull(sim.Get("v1", "Pod", "default", "other"));
    }

    [Fact]
    public async Task Delete_ObjectWithFinalizer_MarkedThenGoneWhenFinalizerRemoved()
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();
        sim.Create("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"f","finalizers":["example.com/hold"]}}""");

        var (code, marked) = await ErrorAnswerTests.SendAsync(http, HttpMethod.Delete, "api/v1/namespaces/default/configmaps/f");
        var stillThere = sim.Get("v1", "ConfigMap", "default", "f");
        await ErrorAnswerTests.SendAsync(http, HttpMethod.Patch, "api/v1/namespaces/default/configmaps/f",
            """{"metadata":{"finalizers":null}}""", "application/merge-patch+json");

        Assert.Equal(200, code);
        Assert.NotNull(marked["metadata"]!["deletionTimestamp"]);
        Assert.NotNull(stillThere);
        Assert.Null(sim.Get("v1", "ConfigMap", "default", "f"));
    }
}
