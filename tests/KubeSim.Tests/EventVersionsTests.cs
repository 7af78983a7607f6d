using System.Text.Json.Nodes;
using Plexus.KubeSim.Tests.Support;

namespace Plexus.KubeSim.Tests;

/// <summary>
/// core/v1 and events.k8s.io/v1 events are one storage under two sets of field names, as on a real
/// cluster: kubectl events (core, selected by involvedObject) sees what an events.k8s.io writer
/// reported, and events.k8s.io field selectors use regarding.* and reportingController.
/// </summary>
public sealed class EventVersionsTests
{
    private const string EventsV1 = """
        {"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"name":"web.1","namespace":"NS"},
         "eventTime":"2026-01-01T00:00:00.000000Z","reportingController":"plexus.io/plexusd","reportingInstance":"node-1",
         "action":"Attach","reason":"AddedInterface","type":"Normal","note":"Add eth1 [10.1.1.5/24] from macvlan-conf",
         "regarding":{"apiVersion":"v1","kind":"Pod","namespace":"NS","name":"web","uid":"pod-uid","fieldPath":"spec.containers{app}"}}
        """;

    private const string CoreV1 = """
        {"apiVersion":"v1","kind":"Event","metadata":{"name":"node-a.1","namespace":"NS"},
         "involvedObject":{"apiVersion":"v1","kind":"Node","name":"node-a"},"reason":"NodeNotReady","type":"Warning",
         "message":"Node node-a status is now: NodeNotReady","source":{"component":"node-controller","host":"cp-1"},"count":4,
         "firstTimestamp":"2026-01-01T00:00:00Z","lastTimestamp":"2026-01-01T00:05:00Z"}
        """;

    [SkippableFact]
    public async Task EventsK8sIoEvent_KubectlEventsAndCoreReadersSeeIt()
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        var sim = kubectl.Sim;
        var ns = sim.CreateUniqueNamespace("events");
        var file = kubectl.WriteFile("event.json", EventsV1.Replace("NS", ns));
        sim.Create(CoreV1.Replace("NS", ns));

        (await kubectl.RunAsync("create", "-f", file)).Succeeded();
        var core = JsonNode.Parse((await kubectl.RunAsync("get", "events", "web.1", "-n", ns, "-o", "json")).Succeeded().Stdout)!;
        var forPod = (await kubectl.RunAsync("events", "-n", ns, "--for", "pod/web")).Succeeded().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var warnings = (await kubectl.RunAsync("events", "-n", ns, "--types=Warning")).Succeeded().Stdout;

        Assert.Equal("v1", core["apiVersion"]!.GetValue<string>());
        Assert.Equal("Add eth1 [10.1.1.5/24] from macvlan-conf", core["message"]!.GetValue<string>());
        Assert.Equal("web", core["involvedObject"]!["name"]!.GetValue<string>());
        Assert.Equal("plexus.io/plexusd", core["reportingComponent"]!.GetValue<string>());
        Assert.Equal("node-1", core["reportingInstance"]!.GetValue<string>());
        Assert.Null(core["note"]);
        Assert.Null(core["regarding"]);
        Assert.Equal(2, forPod.Length);
        Assert.Contains("Pod/web", forPod[1]);
        Assert.Contains("Add eth1 [10.1.1.5/24] from macvlan-conf", forPod[1]);
        Assert.Contains("Node/node-a", warnings);
        Assert.DoesNotContain("AddedInterface", warnings);
    }

    [SkippableFact]
    public async Task CoreEvent_ReadAsEventsK8sIo_RenamedFields()
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        var sim = kubectl.Sim;
        var ns = sim.CreateUniqueNamespace("events");
        sim.Create(CoreV1.Replace("NS", ns));

        var read = JsonNode.Parse((await kubectl.RunAsync("get", "events.events.k8s.io", "node-a.1", "-n", ns, "-o", "json")).Succeeded().Stdout)!;

        Assert.Equal("events.k8s.io/v1", read["apiVersion"]!.GetValue<string>());
        Assert.Equal("Node node-a status is now: NodeNotReady", read["note"]!.GetValue<string>());
        Assert.Equal("node-a", read["regarding"]!["name"]!.GetValue<string>());
        Assert.Equal("node-controller", read["deprecatedSource"]!["component"]!.GetValue<string>());
        Assert.Equal(4, read["deprecatedCount"]!.GetValue<int>());
        Assert.Equal("2026-01-01T00:00:00Z", read["deprecatedFirstTimestamp"]!.GetValue<string>());
        Assert.Equal("2026-01-01T00:05:00Z", read["deprecatedLastTimestamp"]!.GetValue<string>());
        foreach (var coreName in new[] { "message", "involvedObject", "source", "count", "firstTimestamp", "lastTimestamp" })
        {
            Assert.Null(read[coreName]);
        }
    }

    [SkippableTheory]
    [InlineData("regarding.name=web", "web.1")]
    [InlineData("regarding.kind=Node", "node-a.1")]
    [InlineData("regarding.kind!=Node", "web.1")]
    [InlineData("regarding.uid=pod-uid,regarding.apiVersion=v1", "web.1")]
    [InlineData("regarding.fieldPath=spec.containers{app}", "web.1")]
    [InlineData("regarding.namespace=NS", "web.1")]
    [InlineData("reportingController=plexus.io/plexusd", "web.1")]
    [InlineData("source=node-controller", "node-a.1")]
    [InlineData("type=Warning", "node-a.1")]
    [InlineData("reason=AddedInterface", "web.1")]
    [InlineData("metadata.name=node-a.1", "node-a.1")]
    [InlineData("regarding.name=nothing", "")]
    public async Task KubectlGetEventsK8sIo_FieldSelector_SelectsByStoredEvent(string selector, string names)
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        var sim = kubectl.Sim;
        var ns = sim.CreateUniqueNamespace("events");
        sim.Create(EventsV1.Replace("NS", ns));
        sim.Create(CoreV1.Replace("NS", ns));

        var result = (await kubectl.RunAsync("get", "events.events.k8s.io", "-n", ns, "--field-selector", selector.Replace("NS", ns), "-o", "name")).Succeeded();

        Assert.Equal(names.Length == 0 ? [] : names.Split(',').Select(n => $"event.events.k8s.io/{n}"),
            result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task WatchEventsK8sIo_CoreWriteArrivesConverted()
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var client = KubeClients.Create(sim);
        var ns = KubeClients.NewName("events");
        sim.CreateNamespace(ns);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        await using var watch = await HandWatch.StartAsync(client,
            $"apis/events.k8s.io/v1/namespaces/{ns}/events?watch=true&fieldSelector=regarding.kind%3DNode&resourceVersion={sim.ResourceVersion}",
            deadline.Token);
        sim.Create(EventsV1.Replace("NS", ns));
        sim.Create(CoreV1.Replace("NS", ns));
        var added = await watch.NextAsync();

        Assert.Equal("ADDED", added!.Type);
        Assert.Equal("events.k8s.io/v1", added.Object.GetProperty("apiVersion").GetString());
        Assert.Equal("node-a.1", added.Object.GetProperty("metadata").GetProperty("name").GetString());
        Assert.Equal("Node node-a status is now: NodeNotReady", added.Object.GetProperty("note").GetString());
    }

    [SkippableFact]
    public async Task PatchAndDeleteThroughEventsK8sIo_ChangeTheCoreEvent()
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        var sim = kubectl.Sim;
        var ns = sim.CreateUniqueNamespace("events");
        sim.Create(CoreV1.Replace("NS", ns));

        (await kubectl.RunAsync("patch", "events.events.k8s.io", "node-a.1", "-n", ns, "--type=merge",
            "-p", """{"note":"Node node-a status is now: NodeReady","deprecatedCount":5}""")).Succeeded();
        var patched = sim.Get("v1", "Event", ns, "node-a.1")!;
        (await kubectl.RunAsync("delete", "events.events.k8s.io", "node-a.1", "-n", ns)).Succeeded();

        Assert.Equal("Node node-a status is now: NodeReady", patched["message"]!.GetValue<string>());
        Assert.Equal(5, patched["count"]!.GetValue<int>());
        Assert.Null(patched["note"]);
        Assert.Null(sim.Get("v1", "Event", ns, "node-a.1"));
    }
}
