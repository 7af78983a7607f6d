using System.Text.RegularExpressions;
using Plexus.KubeSim.Tests.Support;
using Plexus.Testing;

namespace Plexus.KubeSim.Tests;

/// <summary>kubectl get prints the server's Table: the real printers' columns per kind.</summary>
public sealed partial class KubectlTableTests
{
    [SkippableFact]
    public async Task GetEvents_CoreEvent_PrintsLastSeenTypeReasonObjectMessage()
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync(ManualClock());
        var sim = kubectl.Sim;
        var ns = sim.CreateUniqueNamespace("events");
        sim.Create($$"""
            {"apiVersion":"v1","kind":"Event","metadata":{"name":"web.1","namespace":"{{ns}}"},
             "involvedObject":{"kind":"Pod","name":"web","namespace":"{{ns}}","fieldPath":"spec.containers{app}"},
             "reason":"AddedInterface","message":" Add eth1 [10.1.1.5/24] from macvlan-conf ","type":"Normal",
             "source":{"component":"plexus","host":"node-1"},"count":3,
             "firstTimestamp":"2025-12-31T23:30:00Z","lastTimestamp":"2025-12-31T23:55:00Z"}
            """);

        var plain = (await kubectl.RunAsync("get", "events", "-n", ns)).Succeeded().Stdout.Split('\n');
        var wide = (await kubectl.RunAsync("get", "events", "-n", ns, "-o", "wide")).Succeeded().Stdout.Split('\n');

        Assert.Equal(["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"], Columns(plain[0]));
        Assert.Equal(["5m", "Normal", "AddedInterface", "pod/web", "Add eth1 [10.1.1.5/24] from macvlan-conf"], Columns(plain[1]));
        Assert.Equal(["LAST SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE", "MESSAGE", "FIRST SEEN", "COUNT", "NAME"], Columns(wide[0]));
        Assert.Equal(["5m", "Normal", "AddedInterface", "pod/web", "spec.containers{app}", "plexus, node-1",
            "Add eth1 [10.1.1.5/24] from macvlan-conf", "30m", "3", "web.1"], Columns(wide[1]));
    }

    [SkippableFact]
    public async Task GetPods_ChunkSize2_ListsAllFivePodsOnceUnderOneHeader()
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        var sim = kubectl.Sim;
        var ns = sim.CreateUniqueNamespace("chunks");
        for (var i = 0; i < 5; i++) sim.CreatePod(ns, $"p{i}");

        var table = (await kubectl.RunAsync("get", "pods", "-n", ns, "--chunk-size=2")).Succeeded().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var names = (await kubectl.RunAsync("get", "pods", "-n", ns, "--chunk-size=2", "-o", "name")).Succeeded().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("NAME", Columns(table[0])[0]);
        Assert.Equal(["p0", "p1", "p2", "p3", "p4"], table.Skip(1).Select(l => Columns(l)[0]));
        Assert.Equal(["pod/p0", "pod/p1", "pod/p2", "pod/p3", "pod/p4"], names);
        Assert.Equal(6, sim.Requests.Count("list", "pods"));
    }

    [SkippableFact]
    public async Task GetEvents_EventTimeOnly_DatedByEventTimeCountOne()
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync(ManualClock());
        var sim = kubectl.Sim;
        var ns = sim.CreateUniqueNamespace("events");
        sim.Create($$"""
            {"apiVersion":"v1","kind":"Event","metadata":{"name":"n.1","namespace":"{{ns}}"},
             "involvedObject":{"kind":"Node"},"reason":"Starting","message":"m","type":"Warning",
             "reportingComponent":"plexusd","eventTime":"2025-12-31T23:57:00.000000Z"}
            """);

        var wide = (await kubectl.RunAsync("get", "events", "-n", ns, "-o", "wide")).Succeeded().Stdout.Split('\n');

        Assert.Equal(["3m", "Warning", "Starting", "node", "plexusd", "m", "3m", "1", "n.1"], Columns(wide[1]));
    }

    [SkippableFact]
    public async Task GetDaemonSets_PrintsDesiredCurrentReadyUpToDateAvailableNodeSelector()
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        var sim = kubectl.Sim;
        var ns = sim.CreateUniqueNamespace("ds");
        sim.Create("""
            {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"plexus","namespace":"NS"},
             "spec":{"selector":{"matchLabels":{"app":"plexus"}},"template":{"metadata":{"labels":{"app":"plexus"}},
               "spec":{"nodeSelector":{"kubernetes.io/os":"linux","arch":"amd64"},"containers":[{"name":"plexus","image":"plexus:dev"},{"name":"shim","image":"shim:1"}]}}}}
            """.Replace("NS", ns));
        sim.Patch("apps/v1", "DaemonSet", ns, "plexus",
            """{"status":{"desiredNumberScheduled":3,"currentNumberScheduled":3,"numberReady":2,"updatedNumberScheduled":1,"numberAvailable":2}}""");

        var wide = (await kubectl.RunAsync("get", "ds", "-n", ns, "-o", "wide")).Succeeded().Stdout.Split('\n');

        Assert.Equal(["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"],
            Columns(wide[0]));
        var row = Columns(wide[1]);
        Assert.Equal(["plexus", "3", "3", "2", "1", "2", "arch=amd64,kubernetes.io/os=linux"], row[..7]);
        Assert.Equal(["plexus,shim", "plexus:dev,shim:1", "app=plexus"], row[8..]);
    }

    // The server's clock stands at 2026-01-01T00:00:00Z, so ages are exact.
    private static KubeSimOptions ManualClock() => new() { Clock = new ManualTimeProvider() };

    // kubectl pads columns with 3+ spaces; cells here hold at most single spaces.
    private static string[] Columns(string line) => ColumnGap().Split(line.Trim());

    [GeneratedRegex(" {2,}")]
    private static partial Regex ColumnGap();
}
