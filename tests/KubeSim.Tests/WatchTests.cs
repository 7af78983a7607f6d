using k8s;
using Plexus.KubeSim.Tests.Support;

namespace Plexus.KubeSim.Tests;

/// <summary>Watches by hand through the official client: resume, bookmarks, 410, selection changes.</summary>
public sealed class WatchTests
{
    private static CancellationToken Deadline() => new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token;

    [Fact]
    public async Task Watch_FromListResourceVersion_SeesLaterChangeThenBookmark()
    {
        await using var sim = await KubeSimServer.StartAsync(new KubeSimOptions { BookmarkInterval = TimeSpan.FromMilliseconds(200) });
        using var client = KubeClients.Create(sim);
        var ns = KubeClients.NewName("watch");
        sim.CreatePod(ns, "p");
        var list = await client.CoreV1.ListNamespacedPodAsync(ns);

        await using var watch = await HandWatch.StartAsync(client,
            $"api/v1/namespaces/{ns}/pods?watch=true&allowWatchBookmarks=true&resourceVersion={list.Metadata.ResourceVersion}", Deadline());
        sim.Patch("v1", "Pod", ns, "p", """{"metadata":{"annotations":{"k8s.v1.cni.cncf.io/network-status":"[]"}}}""");
        // A bookmark may come first when the patch is slow (the interval is short): the change is the first other event.
        var modified = await watch.NextMatchingAsync(l => l.Type != "BOOKMARK");
        var bookmark = await watch.NextMatchingAsync(l => l.Type == "BOOKMARK");

        Assert.Equal("MODIFIED", modified.Type);
        var pod = KubernetesJson.Deserialize<k8s.Models.V1Pod>(modified.Object.GetRawText());
        Assert.Equal("[]", pod!.Metadata.Annotations["k8s.v1.cni.cncf.io/network-status"]);
        Assert.Equal(sim.ResourceVersion.ToString(),
            bookmark.Object.GetProperty("metadata").GetProperty("resourceVersion").GetString());
        Assert.Equal(1, sim.Requests.Count("watch", "pods"));
    }

    [Fact]
    public async Task Watch_ResourceVersionOlderThanHistory_Gets410ExpiredErrorEvent()
    {
        await using var sim = await KubeSimServer.StartAsync(new KubeSimOptions { HistoryLimit = 3 });
        using var client = KubeClients.Create(sim);
        var ns = KubeClients.NewName("gone");
        var first = sim.CreatePod(ns, "p0");
        for (var i = 1; i < 6; i++) sim.CreatePod(ns, $"p{i}");

        await using var watch = await HandWatch.StartAsync(client,
            $"api/v1/namespaces/{ns}/pods?watch=true&resourceVersion={first["metadata"]!["resourceVersion"]}", Deadline());
        var error = await watch.NextAsync();

        Assert.Equal("ERROR", error!.Type);
        Assert.Equal(410, error.Object.GetProperty("code").GetInt32());
        Assert.Equal("Expired", error.Object.GetProperty("reason").GetString());
        Assert.Null(await watch.NextAsync());
    }

    [Fact]
    public async Task Watch_RecentResourceVersion_ReplaysRetainedHistory()
    {
        await using var sim = await KubeSimServer.StartAsync(new KubeSimOptions { HistoryLimit = 3 });
        using var client = KubeClients.Create(sim);
        var ns = sim.CreateUniqueNamespace("replay");
        var before = sim.ResourceVersion;
        sim.CreatePod(ns, "a");
        sim.CreatePod(ns, "b");

        await using var watch = await HandWatch.StartAsync(client, $"api/v1/namespaces/{ns}/pods?watch=1&resourceVersion={before}", Deadline());

        Assert.Equal("a", Name(await watch.NextAsync()));
        Assert.Equal("b", Name(await watch.NextAsync()));
    }

    [Fact]
    public async Task Watch_SendInitialEvents_CurrentStateThenInitialEventsEndBookmark()
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var client = KubeClients.Create(sim);
        var ns = KubeClients.NewName("initial");
        sim.CreatePod(ns, "a");

        await using var watch = await HandWatch.StartAsync(client,
            $"api/v1/namespaces/{ns}/pods?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan", Deadline());
        var added = await watch.NextAsync();
        var end = await watch.NextAsync();

        Assert.Equal(("ADDED", "a"), (added!.Type, Name(added)));
        Assert.Equal("BOOKMARK", end!.Type);
        Assert.Equal("true", end.Object.GetProperty("metadata").GetProperty("annotations").GetProperty("k8s.io/initial-events-end").GetString());
    }

    [Fact]
    public async Task Watch_FieldSelector_PodLeavingSelectionIsDeletedEvent()
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var client = KubeClients.Create(sim);
        var ns = KubeClients.NewName("select");
        sim.CreatePod(ns, "mine", nodeName: "node-1");
        sim.CreatePod(ns, "other", nodeName: "node-2");

        await using var watch = await HandWatch.StartAsync(client, "api/v1/pods?watch=true&fieldSelector=spec.nodeName%3Dnode-1", Deadline());
        var initial = await watch.NextAsync();
        sim.Patch("v1", "Pod", ns, "other", """{"metadata":{"labels":{"x":"y"}}}""");
        sim.Patch("v1", "Pod", ns, "mine", """{"spec":{"nodeName":"node-3"}}""");
        var left = await watch.NextAsync();

        Assert.Equal(("ADDED", "mine"), (initial!.Type, Name(initial)));
        Assert.Equal(("DELETED", "mine"), (left!.Type, Name(left)));
    }

    private static string? Name(WatchLine? line) => line?.Object.GetProperty("metadata").GetProperty("name").GetString();
}
