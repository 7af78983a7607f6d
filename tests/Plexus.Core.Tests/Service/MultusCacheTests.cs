using System.Text.Json.Nodes;
using Plexus.Cni;
using static Plexus.Core.Tests.Cache.MultusCacheSamples;

namespace Plexus.Core.Tests.Service;

/// <summary>A node switched in place from Multus: DEL, CHECK and GC of the pods Multus added, from Multus's delegate cache.</summary>
public sealed class MultusCacheTests : IDisposable
{
    private const string PortMappings = """[{"hostPort":8080,"containerPort":80,"protocol":"tcp"}]""";

    private readonly MetaPluginRig rig = new();

    public MultusCacheTests() => rig.Executor.WithPlugin("tuning");

    public void Dispose() => rig.Dispose();

    private string Config => rig.Config($$""","logLevel":"verbose","logToStderr":true,"runtimeConfig":{"portMappings":{{PortMappings}}}""");

    private Task DelAsync() => rig.Plugin(kubernetes: false).DelAsync(MetaPluginRig.Invocation("DEL", Config), CancellationToken.None);

    private IEnumerable<string> Deleted() => rig.Runs("DEL").Select(c => $"{c.Type} {c.Invocation.IfName} {c.Config!["name"]}");

    private JsonNode? RuntimeConfigOf(string type, string ifName) =>
        rig.Runs("DEL").Single(c => c.Type == type && c.Invocation.IfName == ifName).Config!["runtimeConfig"];

    [Fact]
    public async Task Del_PodMultusAdded_EveryAttachmentDeletedInReverseAsMultusWouldThenCacheGone()
    {
        File.WriteAllText(rig.CacheFile, ThreeDelegates());
        var deviceInfo = Path.Combine(rig.DeviceInfoDir, "cni", "pods-data-net-c1_data0");
        Directory.CreateDirectory(Path.GetDirectoryName(deviceInfo)!);
        File.WriteAllText(deviceInfo, "{}");

        await DelAsync();

        Assert.Equal(["bridge data0 data-net", "tuning net1 macvlan-conf", "macvlan net1 macvlan-conf", "bridge eth0 cbr0"], Deleted());
        Assert.Equal($$"""{"portMappings":{{PortMappings}}}""", RuntimeConfigOf("bridge", "eth0")!.ToJsonString());
        Assert.Equal($$"""{"ips":["10.1.1.5/24"],"portMappings":{{PortMappings}}}""", RuntimeConfigOf("macvlan", "net1")!.ToJsonString());
        Assert.Equal("""{"mac":"02:00:00:00:00:05"}""", RuntimeConfigOf("tuning", "net1")!.ToJsonString());
        Assert.Equal($$"""{"deviceID":"0000:03:00.1","CNIDeviceInfoFile":"{{deviceInfo}}"}""", RuntimeConfigOf("bridge", "data0")!.ToJsonString());
        Assert.All(rig.Runs("DEL"), c => Assert.Equal("c1", c.Invocation.ContainerId));
        Assert.False(File.Exists(deviceInfo));
        Assert.False(File.Exists(rig.CacheFile));
        Assert.Contains($"the delegate cache {rig.CacheFile} is Multus's", rig.Log.ToString());
        Assert.Contains("deleting pods/data-net (data0), pods/macvlan-conf (net1), cbr0 (eth0) as Multus would", rig.Log.ToString());

        await DelAsync();

        Assert.Equal(4, rig.Runs("DEL").Count());
    }

    [Fact]
    public async Task Del_PodMultusAddedOneDelegateFails_OthersStillDeletedErrorNamesItNextDelRunsNothing()
    {
        File.WriteAllText(rig.CacheFile, ThreeDelegates());
        rig.Executor.Fail("macvlan", "DEL", CniException.Io("macvlan broke"));

        var error = await Assert.ThrowsAsync<CniException>(DelAsync);

        Assert.Equal(CniErrorCode.IoFailure, error.Code);
        Assert.Contains("network pods/macvlan-conf (net1): macvlan broke", error.Message);
        Assert.Equal(["bridge data0 data-net", "tuning net1 macvlan-conf", "macvlan net1 macvlan-conf", "bridge eth0 cbr0"], Deleted());

        await DelAsync();

        Assert.Equal(4, rig.Runs("DEL").Count());
        Assert.False(File.Exists(rig.CacheFile));
    }

    private string RetryingConfig => rig.Config($$""","retryDeleteOnError":true,"runtimeConfig":{"portMappings":{{PortMappings}}}""");

    private Task RetryingDelAsync() => rig.Plugin(kubernetes: false).DelAsync(MetaPluginRig.Invocation("DEL", RetryingConfig), CancellationToken.None);

    private IEnumerable<string> RuntimeConfigs() => rig.Runs("DEL").Select(c => $"{c.Type} {c.Invocation.IfName} {c.Config!["runtimeConfig"]?.ToJsonString()}");

    [Fact]
    public async Task Del_PodMultusAddedRetryDeleteOnErrorOneFails_RetryRunsExactlyItAsMultusWouldThenNothing()
    {
        File.WriteAllText(rig.CacheFile, ThreeDelegates());
        rig.Executor.Fail("macvlan", "DEL", CniException.Io("macvlan broke"));
        await Assert.ThrowsAsync<CniException>(RetryingDelAsync);
        var first = RuntimeConfigs().ToList();
        Assert.Equal(4, first.Count);

        // Only the failed attachment is kept, with the interface and capability args this DEL derived for it.
        var kept = Assert.Single(JsonNode.Parse(File.ReadAllText(rig.CacheFile))!["attachments"]!.AsArray())!;
        Assert.Equal(("pods/macvlan-conf", "net1"), ((string)kept["network"]!, (string)kept["ifName"]!));
        rig.Executor.Answer("macvlan", "DEL", "");
        await RetryingDelAsync();

        Assert.Equal([first[1], first[2]], RuntimeConfigs().Skip(4));
        Assert.Equal($$"""macvlan net1 {"ips":["10.1.1.5/24"],"portMappings":{{PortMappings}}}""", first[2]);
        Assert.False(File.Exists(rig.CacheFile));

        await RetryingDelAsync();

        Assert.Equal(6, rig.Runs("DEL").Count());
    }

    [Fact]
    public async Task Del_PodMultusAddedRetryDeleteOnErrorClusterAndDeviceNetworkFail_RetryKeepsTheirInterfacesArgsAndDeviceInfo()
    {
        File.WriteAllText(rig.CacheFile, ThreeDelegates());
        var deviceInfo = Path.Combine(rig.DeviceInfoDir, "cni", "pods-data-net-c1_data0");
        rig.Executor.Fail("bridge", "DEL", CniException.Io("bridge broke"));
        await Assert.ThrowsAsync<CniException>(RetryingDelAsync);
        var first = RuntimeConfigs().ToList();
        Directory.CreateDirectory(Path.GetDirectoryName(deviceInfo)!);
        File.WriteAllText(deviceInfo, "{}");

        rig.Executor.Answer("bridge", "DEL", "");
        await RetryingDelAsync();

        // The cluster network stays on the runtime's interface without the others' requests; data0 keeps its device.
        Assert.Equal([first[0], first[3]], RuntimeConfigs().Skip(4));
        Assert.Equal($$"""bridge data0 {"deviceID":"0000:03:00.1","CNIDeviceInfoFile":"{{deviceInfo}}"}""", first[0]);
        Assert.Equal($$"""bridge eth0 {"portMappings":{{PortMappings}}}""", first[3]);
        Assert.False(File.Exists(deviceInfo));
        Assert.False(File.Exists(rig.CacheFile));
    }

    [Fact]
    public async Task Del_MultusCacheUnreadable_DeletedFromLibcniResultCachesAsBefore()
    {
        await AddWithPlexusAsync("c1");
        File.WriteAllText(rig.CacheFile, """[{"Name":"cbr0","Bytes":"%%"}]""");

        await DelAsync();

        Assert.Equal(["bridge eth0 cbr0", "macvlan net1 a"], Deleted().Order(StringComparer.Ordinal));
        Assert.Contains("is not a readable Multus delegate cache", rig.Log.ToString());
        Assert.Contains("deleting from the result caches instead", rig.Log.ToString());
        Assert.False(File.Exists(rig.CacheFile));
    }

    [Fact]
    public async Task Check_PodMultusAdded_EachAttachmentCheckedOnMultusInterfaces()
    {
        File.WriteAllText(rig.CacheFile, ThreeDelegates());

        await rig.Plugin(kubernetes: false).CheckAsync(MetaPluginRig.Invocation("CHECK", Config), CancellationToken.None);

        // cbr0 is a 0.3.1 network: CHECK predates it, so it is skipped as for Plexus's own attachments.
        Assert.Equal(["macvlan net1", "tuning net1", "bridge data0"], rig.Runs("CHECK").Select(c => $"{c.Type} {c.Invocation.IfName}"));
        Assert.True(File.Exists(rig.CacheFile));
    }

    [Fact]
    public async Task Gc_PodMultusAddedStillValid_ItsAttachmentsOnSharedNetworksKept()
    {
        await AddMultusPodAsync("m1");

        await GcAsync("""[{"containerID":"m1","ifname":"eth0"}]""");

        Assert.Empty(rig.Runs("DEL"));
        Assert.True(File.Exists(Path.Combine(rig.Dir, "m1")));
        Assert.Equal(["a-m1-net1", "cbr0-m1-eth0"], ResultCaches());
    }

    [Fact]
    public async Task Gc_PodMultusAddedStale_EveryAttachmentDeletedAndItsCacheRemoved()
    {
        await AddMultusPodAsync("m1");

        await GcAsync("[]");

        Assert.Equal(["bridge m1 eth0", "macvlan m1 net1"], rig.Runs("DEL").Select(c => $"{c.Type} {c.Invocation.ContainerId} {c.Invocation.IfName}").Order(StringComparer.Ordinal));
        Assert.False(File.Exists(Path.Combine(rig.Dir, "m1")));
        Assert.Empty(ResultCaches());
    }

    [Fact]
    public async Task Gc_StaleContainerWithDevice_ItsDeviceInfoFileRemovedWithTheCache()
    {
        File.WriteAllText(rig.CacheFile, ThreeDelegates());
        var deviceInfo = Path.Combine(rig.DeviceInfoDir, "cni", "pods-data-net-c1_data0");
        Directory.CreateDirectory(Path.GetDirectoryName(deviceInfo)!);
        File.WriteAllText(deviceInfo, "{}");

        await GcAsync("[]");

        Assert.False(File.Exists(rig.CacheFile));
        Assert.False(File.Exists(deviceInfo));
    }

    private async Task AddWithPlexusAsync(string containerId)
    {
        rig.Annotate("a");
        rig.Kube.AddNad("pods", "a", """{"cniVersion":"1.0.0","type":"macvlan"}""");
        await rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", rig.Config(), containerId), CancellationToken.None);
    }

    /// <summary>The pod's result caches in cniDir, as Multus's libcni writes them, and Multus's delegate cache naming them.</summary>
    private async Task AddMultusPodAsync(string containerId)
    {
        await AddWithPlexusAsync(containerId);
        File.WriteAllText(Path.Combine(rig.Dir, containerId), $$$"""
            [{"Conf":{"cniVersion":"1.0.0","name":"cbr0","type":"bridge","ipam":{},"dns":{}},"ConfList":{},"Name":"cbr0","IsFilterV4Gateway":false,"IsFilterV6Gateway":false,
              "Bytes":"{{{Base64("""{"cniVersion":"1.0.0","name":"cbr0","type":"bridge"}""")}}}"},
             {"Conf":{"cniVersion":"1.0.0","name":"a","type":"macvlan","ipam":{},"dns":{}},"ConfList":{},"Name":"pods/a","IsFilterV4Gateway":false,"IsFilterV6Gateway":false,
              "Bytes":"{{{Base64("""{"cniVersion":"1.0.0","name":"a","type":"macvlan"}""")}}}"}]
            """);
    }

    private Task GcAsync(string valid) =>
        rig.Plugin(kubernetes: false).GcAsync(MetaPluginRig.NodeInvocation("GC", rig.Config($$""","cni.dev/valid-attachments":{{valid}}""")), CancellationToken.None);

    private string[] ResultCaches() => [.. Directory.EnumerateFiles(Path.Combine(rig.Dir, "results")).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
}
