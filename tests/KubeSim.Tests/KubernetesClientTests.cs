using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Plexus.KubeSim.Tests.Support;

namespace Plexus.KubeSim.Tests;

/// <summary>The official KubernetesClient.Aot (Plexus's flavour), unchanged, against the simulator.</summary>
public sealed class KubernetesClientTests
{
    [Fact]
    public async Task ReadAndList_SeededPods_SelectorsFilterByNodeAndLabel()
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var client = KubeClients.Create(sim);
        var ns = KubeClients.NewName("read");
        sim.CreatePod(ns, "a", nodeName: "node-1", labels: new Dictionary<string, string> { ["app"] = "x" });
        sim.CreatePod(ns, "b", nodeName: "node-2", labels: new Dictionary<string, string> { ["app"] = "x" });
        sim.CreatePod(ns, "c", nodeName: "node-1", labels: new Dictionary<string, string> { ["app"] = "y" });

        var pod = await client.CoreV1.ReadNamespacedPodAsync("a", ns);
        var onNode1 = await client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: "spec.nodeName=node-1");
        var appX = await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "app in (x),app!=y");
        var byName = await client.CoreV1.ListNamespacedPodAsync(ns, fieldSelector: "metadata.name=b");

        Assert.Equal("node-1", pod.Spec.NodeName);
        Assert.Equal(["a", "c"], onNode1.Items.Select(p => p.Metadata.Name));
        Assert.Equal(["a", "b"], appX.Items.Select(p => p.Metadata.Name));
        Assert.Equal(["b"], byName.Items.Select(p => p.Metadata.Name));
        Assert.Equal(sim.ResourceVersion.ToString(), onNode1.Metadata.ResourceVersion);
        Assert.Equal(1, sim.Requests.Count("get", "pods"));
        Assert.Equal(3, sim.Requests.Count("list", "pods"));
    }

    [Fact]
    public async Task PatchAnnotations_EachPatchType_MergesAndBumpsResourceVersion()
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var client = KubeClients.Create(sim);
        var ns = KubeClients.NewName("patch");
        var created = sim.CreatePod(ns, "p", annotations: new Dictionary<string, string> { ["keep"] = "1", ["drop"] = "2" });

        await client.CoreV1.PatchNamespacedPodAsync(new V1Patch("""{"metadata":{"annotations":{"merge":"m","drop":null}}}""",
            V1Patch.PatchType.MergePatch), "p", ns);
        await client.CoreV1.PatchNamespacedPodAsync(new V1Patch("""{"metadata":{"annotations":{"strategic":"s"}}}""",
            V1Patch.PatchType.StrategicMergePatch), "p", ns);
        var final = await client.CoreV1.PatchNamespacedPodAsync(new V1Patch(
            """[{"op":"add","path":"/metadata/annotations/k8s.v1.cni.cncf.io~1network-status","value":"[]"}]""",
            V1Patch.PatchType.JsonPatch), "p", ns);

        Assert.Equal(new Dictionary<string, string>
        {
            ["keep"] = "1",
            ["merge"] = "m",
            ["strategic"] = "s",
            ["k8s.v1.cni.cncf.io/network-status"] = "[]",
        }, final.Metadata.Annotations);
        Assert.True(long.Parse(final.Metadata.ResourceVersion) > long.Parse(created["metadata"]!["resourceVersion"]!.GetValue<string>()));
        Assert.Equal(created["metadata"]!["uid"]!.GetValue<string>(), final.Metadata.Uid);
        Assert.Equal(3, sim.Requests.Count("patch", "pods"));
    }

    [Fact]
    public async Task PatchNamespacedPodStatus_Annotations_StickLikeKubeApiserver()
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var client = KubeClients.Create(sim);
        var ns = KubeClients.NewName("status-annotations");
        sim.CreatePod(ns, "p", nodeName: "node-1", annotations: new Dictionary<string, string> { ["keep"] = "1" });

        var patched = await client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(
            """{"metadata":{"annotations":{"k8s.v1.cni.cncf.io/network-status":"[]"}},"spec":{"nodeName":"other"}}""",
            V1Patch.PatchType.MergePatch), "p", ns);
        var read = await client.CoreV1.ReadNamespacedPodAsync("p", ns);

        Assert.Equal("[]", read.Metadata.Annotations["k8s.v1.cni.cncf.io/network-status"]);
        Assert.Equal("1", read.Metadata.Annotations["keep"]);
        Assert.Equal("node-1", read.Spec.NodeName);
        Assert.Equal(read.Metadata.ResourceVersion, patched.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task ReplaceNamespacedPodStatus_ChangesOnlyStatus()
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var client = KubeClients.Create(sim);
        var ns = KubeClients.NewName("status");
        sim.CreatePod(ns, "p", nodeName: "node-1");
        var pod = await client.CoreV1.ReadNamespacedPodAsync("p", ns);
        pod.Status.PodIP = "10.1.2.3";
        pod.Status.Phase = "Running";
        pod.Spec.NodeName = "ignored-by-status-update";

        var replaced = await client.CoreV1.ReplaceNamespacedPodStatusAsync(pod, "p", ns);

        Assert.Equal("10.1.2.3", replaced.Status.PodIP);
        Assert.Equal("Running", replaced.Status.Phase);
        Assert.Equal("node-1", replaced.Spec.NodeName);
        Assert.Equal(1, sim.Requests.Count("update", "pods/status"));
    }

    [Fact]
    public async Task Replace_StaleResourceVersion_Conflict409()
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var client = KubeClients.Create(sim);
        var ns = KubeClients.NewName("stale");
        sim.CreatePod(ns, "p");
        var pod = await client.CoreV1.ReadNamespacedPodAsync("p", ns);
        sim.Patch("v1", "Pod", ns, "p", """{"metadata":{"labels":{"moved":"on"}}}""");

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReplaceNamespacedPodAsync(pod, "p", ns));

        Assert.Equal(HttpStatusCode.Conflict, error.Response.StatusCode);
        var status = JsonSerializer.Deserialize<JsonElement>(error.Response.Content);
        Assert.Equal("Conflict", status.GetProperty("reason").GetString());
        Assert.Contains("the object has been modified", status.GetProperty("message").GetString());
    }

    [Fact]
    public async Task CustomObjects_NadsThroughOwnJsonContext_ListAndGet()
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var client = KubeClients.Create(sim);
        var ns = KubeClients.NewName("nads");
        sim.CreateNetworkAttachmentDefinition(ns, "macvlan", """{"cniVersion":"1.0.0","type":"macvlan"}""");
        sim.CreateNetworkAttachmentDefinition(ns, "bridge", """{"cniVersion":"1.0.0","type":"bridge"}""");

        var list = await client.CustomObjects.ListNamespacedCustomObjectAsync<NetworkAttachmentDefinitionList>(
            KnownManifests.NadGroup, "v1", ns, KnownManifests.NadPlural);
        var one = await client.CustomObjects.GetNamespacedCustomObjectAsync<NetworkAttachmentDefinition>(
            KnownManifests.NadGroup, "v1", ns, KnownManifests.NadPlural, "macvlan");

        Assert.Equal(["bridge", "macvlan"], list.Items.Select(n => n.Metadata!.Name));
        Assert.Equal("""{"cniVersion":"1.0.0","type":"macvlan"}""", one.Spec!.Config);
        Assert.Equal(1, sim.Requests.Count("list", KnownManifests.NadPlural, KnownManifests.NadGroup));
    }

    [Fact]
    public async Task Events_CreateCoreAndEventsV1_OneStorageEachVersionReadsBoth()
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var client = KubeClients.Create(sim);
        var ns = sim.CreateUniqueNamespace("events");

        await client.CoreV1.CreateNamespacedEventAsync(new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = "p.1", NamespaceProperty = ns },
            InvolvedObject = new V1ObjectReference { Kind = "Pod", Name = "p", NamespaceProperty = ns },
            Reason = "AddedInterface",
            Message = "Add net1 [10.1.1.2/24] from macvlan",
            Type = "Normal",
        }, ns);
        await client.EventsV1.CreateNamespacedEventAsync(new Eventsv1Event
        {
            Metadata = new V1ObjectMeta { Name = "p.2", NamespaceProperty = ns },
            EventTime = DateTime.UtcNow,
            ReportingController = "plexus",
            ReportingInstance = "node-1",
            Action = "Attach",
            Reason = "AddedInterface",
            Regarding = new V1ObjectReference { Kind = "Pod", Name = "p", NamespaceProperty = ns },
            Type = "Normal",
        }, ns);

        var core = await client.CoreV1.ListNamespacedEventAsync(ns, fieldSelector: "involvedObject.name=p");
        var v1 = await client.EventsV1.ListNamespacedEventAsync(ns, fieldSelector: "regarding.name=p");
        Assert.Equal(["p.1", "p.2"], core.Items.Select(e => e.Metadata.Name));
        Assert.Equal(["p.1", "p.2"], v1.Items.Select(e => e.Metadata.Name));
        Assert.Equal("plexus", core.Items[1].ReportingComponent);
        Assert.Equal("Add net1 [10.1.1.2/24] from macvlan", v1.Items[0].Note);
    }
}
