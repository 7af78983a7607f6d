using System.Text.Json.Nodes;
using Plexus.Cni.Config;
using Plexus.Cni.Invoke;
using Plexus.Testing;

namespace Plexus.Cni.Tests.Invoke;

public sealed class DelegateRuntimeTests : IDisposable
{
    private const string BridgeResult = """{"cniVersion":"1.0.0","interfaces":[{"name":"net1","sandbox":"/run/netns/p"}],"ips":[{"address":"10.1.0.5/24","interface":0}]}""";
    private readonly string _cacheDir = Directory.CreateTempSubdirectory("plexus-runtime-").FullName;
    private readonly RecordingPluginExecutor _executor = new();
    private readonly RuntimeConf _runtime = new()
    {
        ContainerId = "c1",
        NetnsPath = "/run/netns/p",
        IfName = "net1",
        Args = CniArgs.Parse("K8S_POD_NAME=p"),
        CapabilityArgs = new Dictionary<string, JsonNode?> { ["portMappings"] = new JsonArray(new JsonObject { ["hostPort"] = 8080 }), ["mac"] = "0a:00:00:00:00:01" },
    };

    public void Dispose() => Directory.Delete(_cacheDir, recursive: true);

    [Fact]
    public async Task AddNetworkListAsync_Chain_RunsInOrderChainingPrevResultAndFilteringRuntimeConfig()
    {
        _executor.WithPlugin("bridge").WithPlugin("portmap").Answer("bridge", "ADD", BridgeResult);
        var list = List("1.0.0", """{"type":"bridge","extra":{"keep":true}}""", """{"type":"portmap","capabilities":{"portMappings":true,"mac":false}}""");

        var result = await Runtime().AddNetworkListAsync(list, _runtime, CancellationToken.None);

        Assert.Equal(["bridge ADD", "portmap ADD"], _executor.CallSummary);
        var (bridge, portmap) = (_executor.Calls[0], _executor.Calls[1]);
        Assert.Equal("net-a", bridge.Config?["name"]?.GetValue<string>());
        Assert.Equal("""{"keep":true}""", bridge.Config?["extra"]?.ToJsonString());
        Assert.Null(bridge.Config?["prevResult"]);
        Assert.Null(bridge.Config?["runtimeConfig"]);
        Assert.Equal("10.1.0.5/24", portmap.Config?["prevResult"]?["ips"]?[0]?["address"]?.GetValue<string>());
        Assert.Equal("""{"portMappings":[{"hostPort":8080}]}""", portmap.Config?["runtimeConfig"]?.ToJsonString());
        Assert.Equal(CniVersion.V100, result.Version);
        Assert.Equal(("ADD", "c1", "/run/netns/p", "net1", "K8S_POD_NAME=p"),
            (bridge.Invocation.Command, bridge.Invocation.ContainerId, bridge.Invocation.NetnsPath, bridge.Invocation.IfName, bridge.Invocation.Args.Format()));
    }

    [Fact]
    public async Task AddNetworkListAsync_Success_WritesLibcniCacheEntry0600In0700Dir()
    {
        _executor.WithPlugin("bridge").Answer("bridge", "ADD", BridgeResult);
        var list = List("1.0.0", """{"type":"bridge"}""");

        await Runtime().AddNetworkListAsync(list, _runtime, CancellationToken.None);

        var path = Path.Combine(_cacheDir, "results", "net-a-c1-net1");
        var entry = JsonNode.Parse(File.ReadAllBytes(path))!.AsObject();
        Assert.Equal("cniCacheV1", entry["kind"]?.GetValue<string>());
        Assert.Equal(("c1", "net1", "net-a", "/run/netns/p"), (entry["containerId"]?.GetValue<string>(), entry["ifName"]?.GetValue<string>(), entry["networkName"]?.GetValue<string>(), entry["netns"]?.GetValue<string>()));
        Assert.Equal("""[["K8S_POD_NAME","p"]]""", entry["cniArgs"]?.ToJsonString());
        Assert.Equal(list.ToBytes(), Convert.FromBase64String(entry["config"]!.GetValue<string>()));
        Assert.Equal("10.1.0.5/24", entry["result"]?["ips"]?[0]?["address"]?.GetValue<string>());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        Assert.Single(Directory.GetFileSystemEntries(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public async Task AddNetworkListAsync_ResultWithoutVersion_IsTakenInConfigVersion()
    {
        _executor.WithPlugin("bridge").Answer("bridge", "ADD", """{"ips":[{"version":"4","address":"10.1.0.5/24"}]}""");

        var result = await Runtime().AddNetworkListAsync(List("0.3.1", """{"type":"bridge"}"""), _runtime, CancellationToken.None);

        Assert.Equal(CniVersion.V031, result.Version);
        Assert.Equal("0.3.1", result.ToJson()["cniVersion"]?.GetValue<string>());
    }

    [Fact]
    public async Task AddNetworkListAsync_OlderResultVersion_IsConvertedToListVersion()
    {
        _executor.WithPlugin("bridge").Answer("bridge", "ADD", """{"cniVersion":"0.2.0","ip4":{"ip":"10.1.0.5/24"}}""");

        var result = await Runtime().AddNetworkListAsync(List("1.0.0", """{"type":"bridge"}"""), _runtime, CancellationToken.None);

        Assert.Equal(CniVersion.V100, result.Version);
        Assert.Equal("10.1.0.5/24", result.ToJson()["ips"]?[0]?["address"]?.GetValue<string>());
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[]")]
    public async Task AddNetworkListAsync_UnusableResult_ThrowsNamingDelegateAndCachesNothing(string stdout)
    {
        _executor.WithPlugin("bridge").Answer("bridge", "ADD", stdout);

        var error = await Assert.ThrowsAsync<CniException>(() => Runtime().AddNetworkListAsync(List("1.0.0", """{"type":"bridge"}"""), _runtime, CancellationToken.None));

        Assert.Equal(CniErrorCode.DecodeFailure, error.Code);
        Assert.StartsWith("plugin \"bridge\" (network \"net-a\") returned an unusable ADD result", error.Message);
        Assert.False(Directory.Exists(Path.Combine(_cacheDir, "results")));
    }

    [Fact]
    public async Task AddNetworkListAsync_SecondPluginFails_StopsAndCachesNothing()
    {
        _executor.WithPlugin("bridge").WithPlugin("portmap").WithPlugin("tuning").Answer("bridge", "ADD", BridgeResult)
            .Fail("portmap", "ADD", new CniException(11, "plugin \"portmap\" failed on ADD: iptables busy"));
        var list = List("1.0.0", """{"type":"bridge"}""", """{"type":"portmap"}""", """{"type":"tuning"}""");

        var error = await Assert.ThrowsAsync<CniException>(() => Runtime().AddNetworkListAsync(list, _runtime, CancellationToken.None));

        Assert.Equal(11, error.Code);
        Assert.Equal(["bridge ADD", "portmap ADD"], _executor.CallSummary);
        Assert.False(Directory.Exists(Path.Combine(_cacheDir, "results")));
    }

    [Fact]
    public async Task AddNetworkListAsync_PluginNotFound_ThrowsBeforeRunningAnything()
    {
        var error = await Assert.ThrowsAsync<CniException>(() => Runtime().AddNetworkListAsync(List("1.0.0", """{"type":"missing"}"""), _runtime, CancellationToken.None));

        Assert.Contains("\"missing\"", error.Message);
        Assert.Empty(_executor.Calls);
    }

    [Theory]
    [InlineData("../../etc", "net1", "invalid container id \"../../etc\"")]
    [InlineData("c1", "../x", "interface name \"../x\" must not contain '/'")]
    [InlineData("c1", "a/b", "interface name \"a/b\" must not contain '/'")]
    public async Task AddNetworkListAsync_PathEscapingNames_RejectedBeforeAnyRun(string containerId, string ifName, string message)
    {
        _executor.WithPlugin("bridge");

        var error = await Assert.ThrowsAsync<CniException>(() => Runtime().AddNetworkListAsync(List("1.0.0", """{"type":"bridge"}"""), _runtime with { ContainerId = containerId, IfName = ifName }, CancellationToken.None));

        Assert.Equal(CniErrorCode.InvalidEnvironment, error.Code);
        Assert.Contains(message, error.Message);
        Assert.Empty(_executor.Calls);
        Assert.Empty(Directory.GetFileSystemEntries(_cacheDir));
    }

    [Fact]
    public async Task DelNetworkListAsync_AfterAdd_RunsReverseWithCachedResultAndRemovesCache()
    {
        _executor.WithPlugin("bridge").WithPlugin("portmap").Answer("bridge", "ADD", BridgeResult);
        var list = List("1.0.0", """{"type":"bridge"}""", """{"type":"portmap"}""");
        var runtime = Runtime();
        await runtime.AddNetworkListAsync(list, _runtime, CancellationToken.None);

        await runtime.DelNetworkListAsync(list, _runtime, CancellationToken.None);

        Assert.Equal(["bridge ADD", "portmap ADD", "portmap DEL", "bridge DEL"], _executor.CallSummary);
        Assert.All(_executor.Calls.Skip(2), c => Assert.Equal("10.1.0.5/24", c.Config?["prevResult"]?["ips"]?[0]?["address"]?.GetValue<string>()));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(_cacheDir, "results")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AddNetworkListAsync_CacheInBackground_OnDiskAfterFlushWithItsMode(bool onThreadPool)
    {
        _executor.WithPlugin("bridge").Answer("bridge", "ADD", BridgeResult);
        var runtime = Runtime(onThreadPool);

        await runtime.AddNetworkListAsync(List("1.0.0", """{"type":"bridge"}"""), _runtime, CancellationToken.None, cacheInBackground: true);
        runtime.FlushResultCaches();

        var path = Path.Combine(_cacheDir, "results", "net-a-c1-net1");
        Assert.Equal("10.1.0.5/24", JsonNode.Parse(File.ReadAllBytes(path))!["result"]?["ips"]?[0]?["address"]?.GetValue<string>());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Single(Directory.GetFileSystemEntries(Path.GetDirectoryName(path)!));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DelNetworkListAsync_RightAfterABackgroundCache_GetsItsResultAndLeavesNoFile(bool onThreadPool)
    {
        // A rollback deletes what was just added: the delete must not race the background rename.
        _executor.WithPlugin("bridge").Answer("bridge", "ADD", BridgeResult);
        var list = List("1.0.0", """{"type":"bridge"}""");
        var runtime = Runtime(onThreadPool);

        await runtime.AddNetworkListAsync(list, _runtime, CancellationToken.None, cacheInBackground: true);
        await runtime.DelNetworkListAsync(list, _runtime, CancellationToken.None);

        Assert.Equal("10.1.0.5/24", _executor.Calls[1].Config?["prevResult"]?["ips"]?[0]?["address"]?.GetValue<string>());
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(_cacheDir, "results")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FlushResultCaches_BackgroundWriteFailed_ThrowsIoErrorNamingTheNetworkAndFile(bool onThreadPool)
    {
        _executor.WithPlugin("bridge").Answer("bridge", "ADD", BridgeResult);
        File.WriteAllText(Path.Combine(_cacheDir, "results"), "not a directory");
        var runtime = Runtime(onThreadPool);

        await runtime.AddNetworkListAsync(List("1.0.0", """{"type":"bridge"}"""), _runtime, CancellationToken.None, cacheInBackground: true);
        var error = Assert.Throws<CniException>(runtime.FlushResultCaches);

        Assert.Equal(CniErrorCode.IoFailure, error.Code);
        Assert.Contains("cannot write the result cache of network \"net-a\"", error.Message);
        Assert.Contains(Path.Combine(_cacheDir, "results", "net-a-c1-net1"), error.Message);
        runtime.FlushResultCaches();
    }

    [Fact]
    public async Task DelNetworkListAsync_NothingCachedOrOldVersion_RunsWithoutPrevResult()
    {
        _executor.WithPlugin("bridge");

        await Runtime().DelNetworkListAsync(List("0.3.1", """{"type":"bridge"}"""), _runtime, CancellationToken.None);
        await Runtime().DelNetworkListAsync(List("1.0.0", """{"type":"bridge"}"""), _runtime, CancellationToken.None);

        Assert.Equal(["bridge DEL", "bridge DEL"], _executor.CallSummary);
        Assert.All(_executor.Calls, c => Assert.Null(c.Config?["prevResult"]));
    }

    [Theory]
    [InlineData("0.1.0")]
    [InlineData("0.2.0")]
    [InlineData("0.3.0")]
    [InlineData("0.3.1")]
    public async Task CheckNetworkListAsync_VersionBefore040_ThrowsIncompatible(string version)
    {
        _executor.WithPlugin("bridge");

        var error = await Assert.ThrowsAsync<CniException>(() => Runtime().CheckNetworkListAsync(List(version, """{"type":"bridge"}"""), _runtime, CancellationToken.None));

        Assert.Equal(CniErrorCode.IncompatibleVersion, error.Code);
        Assert.Contains("does not support the CHECK command", error.Message);
        Assert.Empty(_executor.Calls);
    }

    [Fact]
    public async Task CheckNetworkListAsync_DisableCheck_RunsNothing()
    {
        _executor.WithPlugin("bridge");
        var list = NetworkConfigList.Parse("""{"cniVersion":"1.0.0","name":"net-a","disableCheck":true,"plugins":[{"type":"bridge"}]}"""u8);

        await Runtime().CheckNetworkListAsync(list, _runtime, CancellationToken.None);

        Assert.Empty(_executor.Calls);
    }

    [Fact]
    public async Task CheckNetworkListAsync_AfterAdd_RunsInOrderWithCachedResult()
    {
        _executor.WithPlugin("bridge").WithPlugin("portmap").Answer("bridge", "ADD", BridgeResult);
        var list = List("0.4.0", """{"type":"bridge"}""", """{"type":"portmap"}""");
        var runtime = Runtime();
        await runtime.AddNetworkListAsync(list, _runtime, CancellationToken.None);

        await runtime.CheckNetworkListAsync(list, _runtime, CancellationToken.None);

        Assert.Equal(["bridge ADD", "portmap ADD", "bridge CHECK", "portmap CHECK"], _executor.CallSummary);
        Assert.Equal("0.4.0", _executor.Calls[2].Config?["prevResult"]?["cniVersion"]?.GetValue<string>());
    }

    [Fact]
    public async Task GcNetworkListsAsync_MixedDelegates_SendsOnlyTo110WithValidAttachments()
    {
        _executor.WithPlugin("bridge", "0.4.0", "1.0.0").WithPlugin("modern", "1.0.0", "1.1.0");
        var list = List("1.1.0", """{"type":"bridge"}""", """{"type":"modern"}""");

        await Runtime().GcNetworkListsAsync([list], [new GcAttachment("c1", "net1")], sendToPlugins: true, CancellationToken.None);

        Assert.Equal(["bridge VERSION", "modern VERSION", "modern GC"], _executor.CallSummary);
        var gc = _executor.Calls[2];
        Assert.Equal("""[{"containerID":"c1","ifname":"net1"}]""", gc.Config?["cni.dev/valid-attachments"]?.ToJsonString());
        Assert.Equal(("net-a", "1.1.0"), (gc.Config?["name"]?.GetValue<string>(), gc.Config?["cniVersion"]?.GetValue<string>()));
        Assert.Null(gc.Invocation.ContainerId);
    }

    [Theory]
    [InlineData("""{"cniVersion":"1.0.0","name":"net-a","plugins":[{"type":"modern"}]}""")]
    [InlineData("""{"cniVersion":"1.1.0","name":"net-a","disableGC":true,"plugins":[{"type":"modern"}]}""")]
    public async Task GcNetworkListsAsync_OldVersionOrDisabled_SendsNothing(string json)
    {
        _executor.WithPlugin("modern", "1.1.0");

        await Runtime().GcNetworkListsAsync([NetworkConfigList.Parse(System.Text.Encoding.UTF8.GetBytes(json))], [], sendToPlugins: true, CancellationToken.None);

        Assert.Empty(_executor.Calls);
    }

    [Fact]
    public async Task GcNetworkListsAsync_StaleCachedAttachment_IsDeletedWithItsCachedRuntimeAndValidOneKept()
    {
        _executor.WithPlugin("bridge", "1.0.0").Answer("bridge", "ADD", BridgeResult);
        var list = List("1.0.0", """{"type":"bridge"}""");
        var runtime = Runtime();
        var stale = _runtime with { ContainerId = "gone" };
        await runtime.AddNetworkListAsync(list, _runtime, CancellationToken.None);
        await runtime.AddNetworkListAsync(list, stale, CancellationToken.None);
        await runtime.AddNetworkListAsync(List("1.0.0", """{"type":"bridge"}""") with { Name = "other" }, stale, CancellationToken.None);

        await runtime.GcNetworkListsAsync([list], [new GcAttachment("c1", "net1")], sendToPlugins: true, CancellationToken.None);

        var del = Assert.Single(_executor.Calls, c => c.Invocation.Command == "DEL");
        Assert.Equal(("gone", "net1", "/run/netns/p", "K8S_POD_NAME=p"), (del.Invocation.ContainerId, del.Invocation.IfName, del.Invocation.NetnsPath, del.Invocation.Args.Format()));
        Assert.Equal("10.1.0.5/24", del.Config?["prevResult"]?["ips"]?[0]?["address"]?.GetValue<string>());
        Assert.Equal(["net-a-c1-net1", "other-gone-net1"], Directory.GetFiles(Path.Combine(_cacheDir, "results")).Select(Path.GetFileName).Order());
        Assert.DoesNotContain(_executor.Calls, c => c.Invocation.Command == "GC");
    }

    [Fact]
    public async Task GcNetworkListsAsync_StaleAttachment_DeletedWithTheConfigItWasAddedWith()
    {
        _executor.WithPlugin("bridge").WithPlugin("ipvlan").Answer("bridge", "ADD", BridgeResult);
        var runtime = Runtime();
        await runtime.AddNetworkListAsync(List("1.0.0", """{"type":"bridge","mtu":1400}"""), _runtime, CancellationToken.None);
        var current = List("1.0.0", """{"type":"ipvlan"}""");

        await runtime.GcNetworkListsAsync([current], [], sendToPlugins: true, CancellationToken.None);

        var del = Assert.Single(_executor.Calls, c => c.Invocation.Command == "DEL");
        Assert.Equal(("bridge", 1400), (del.Type, del.Config?["mtu"]?.GetValue<int>()));
        Assert.Equal("10.1.0.5/24", del.Config?["prevResult"]?["ips"]?[0]?["address"]?.GetValue<string>());
        Assert.Empty(Directory.GetFiles(Path.Combine(_cacheDir, "results")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("bm90IGpzb24=")]
    [InlineData("eyJjbmlWZXJzaW9uIjoiMS4wLjAiLCJuYW1lIjoib3RoZXIiLCJwbHVnaW5zIjpbeyJ0eXBlIjoiYnJpZGdlIn1dfQ==")]
    public async Task GcNetworkListsAsync_EntryWithoutUsableConfig_OneNetworkOfItsNameDeletesIt(string config)
    {
        _executor.WithPlugin("ipvlan");
        WriteEntry("net-a", "gone", config);

        await Runtime().GcNetworkListsAsync([List("1.0.0", """{"type":"ipvlan"}""")], [], sendToPlugins: true, CancellationToken.None);

        var del = Assert.Single(_executor.Calls, c => c.Invocation.Command == "DEL");
        Assert.Equal(("ipvlan", "gone"), (del.Type, del.Invocation.ContainerId));
        Assert.Empty(Directory.GetFiles(Path.Combine(_cacheDir, "results")));
    }

    [Fact]
    public async Task GcNetworkListsAsync_EntryWithoutConfigAndNetworksSharingItsName_DecodeFailureEntryKept()
    {
        _executor.WithPlugin("ipvlan").WithPlugin("macvlan");
        WriteEntry("net-a", "gone", "");

        var error = await Assert.ThrowsAsync<CniException>(() => Runtime().GcNetworkListsAsync(
            [List("1.0.0", """{"type":"ipvlan"}"""), List("1.0.0", """{"type":"macvlan"}""")], [], sendToPlugins: true, CancellationToken.None));

        Assert.Equal(CniErrorCode.DecodeFailure, error.Code);
        Assert.Contains("container gone (net1) on network \"net-a\" holds no usable config and 2 different networks are named \"net-a\"", error.Message);
        Assert.DoesNotContain(_executor.Calls, c => c.Invocation.Command == "DEL");
        Assert.Single(Directory.GetFiles(Path.Combine(_cacheDir, "results")));
    }

    [Fact]
    public async Task GcNetworkListsAsync_OneOfTheNameDisablesGc_NothingDeletedGcSentToTheOther()
    {
        _executor.WithPlugin("bridge").WithPlugin("modern", "1.1.0").Answer("bridge", "ADD", BridgeResult);
        var runtime = Runtime();
        await runtime.AddNetworkListAsync(List("1.0.0", """{"type":"bridge"}"""), _runtime, CancellationToken.None);
        var disabled = NetworkConfigList.Parse("""{"cniVersion":"1.1.0","name":"net-a","disableGC":true,"plugins":[{"type":"bridge"}]}"""u8);

        await runtime.GcNetworkListsAsync([disabled, List("1.1.0", """{"type":"modern"}""")], [], sendToPlugins: true, CancellationToken.None);

        Assert.Equal(["bridge ADD", "modern VERSION", "modern GC"], _executor.CallSummary);
        Assert.Single(Directory.GetFiles(Path.Combine(_cacheDir, "results")));
    }

    [Fact]
    public async Task GcNetworkListsAsync_ListsOfDifferentNames_Refused()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Runtime().GcNetworkListsAsync(
            [List("1.0.0", """{"type":"bridge"}"""), List("1.0.0", """{"type":"bridge"}""") with { Name = "other" }], [], sendToPlugins: true, CancellationToken.None));

        Assert.Equal("lists", error.ParamName);
        Assert.Empty(_executor.Calls);
    }

    private void WriteEntry(string network, string containerId, string config)
    {
        var results = Directory.CreateDirectory(Path.Combine(_cacheDir, "results")).FullName;
        File.WriteAllText(Path.Combine(results, $"{network}-{containerId}-net1"),
            $$$"""{"kind":"cniCacheV1","containerId":"{{{containerId}}}","config":"{{{config}}}","ifName":"net1","networkName":"{{{network}}}","result":{"cniVersion":"1.0.0"}}""");
    }

    [Fact]
    public void ResultCacheList_LibcniEntryAndJunk_ReadsEntryAndSkipsJunk()
    {
        var results = Directory.CreateDirectory(Path.Combine(_cacheDir, "results")).FullName;
        File.WriteAllText(Path.Combine(results, "net-a-c9-eth0"),
            """{"kind":"cniCacheV1","containerId":"c9","config":"e30=","ifName":"eth0","networkName":"net-a","netns":"/var/run/netns/x","cniArgs":[["K8S_POD_NAME","p"]],"capabilityArgs":{"mac":"0a:00:00:00:00:02"},"result":{"cniVersion":"1.0.0"}}""");
        File.WriteAllText(Path.Combine(results, "net-a-c8-eth0"), "{truncated");
        File.WriteAllText(Path.Combine(results, "net-a-c7-eth0"), """{"kind":"somethingElse"}""");

        var entry = Assert.Single(new ResultCache(_cacheDir).List(CancellationToken.None));

        Assert.Equal(("net-a", "c9", "eth0", "/var/run/netns/x", "K8S_POD_NAME=p"), (entry.NetworkName, entry.Runtime.ContainerId, entry.Runtime.IfName, entry.Runtime.NetnsPath, entry.Runtime.Args.Format()));
        Assert.Equal("{}"u8.ToArray(), entry.Config);
        Assert.Equal("\"0a:00:00:00:00:02\"", entry.Runtime.CapabilityArgs["mac"]?.ToJsonString());
        Assert.Equal("1.0.0", entry.Result?["cniVersion"]?.GetValue<string>());
    }

    [Fact]
    public async Task StatusNetworkListAsync_DelegateNotAvailable_ThrowsItsError()
    {
        _executor.WithPlugin("bridge", "1.0.0").WithPlugin("modern", "1.1.0")
            .Fail("modern", "STATUS", new CniException(CniErrorCode.PluginNotAvailable, "plugin \"modern\" failed on STATUS: not ready"));
        var list = List("1.1.0", """{"type":"bridge"}""", """{"type":"modern"}""");

        var error = await Assert.ThrowsAsync<CniException>(() => Runtime().StatusNetworkListAsync(list, CancellationToken.None));

        Assert.Equal(CniErrorCode.PluginNotAvailable, error.Code);
        Assert.Equal(["bridge VERSION", "modern VERSION", "modern STATUS"], _executor.CallSummary);
    }

    [Fact]
    public async Task StatusNetworkListAsync_PluginNotInstalled_PluginNotAvailableNamingPluginAndBinDirs()
    {
        _executor.WithPlugin("bridge", "1.1.0");
        var list = List("1.1.0", """{"type":"bridge"}""", """{"type":"missing"}""");

        var error = await Assert.ThrowsAsync<CniException>(() => Runtime().StatusNetworkListAsync(list, CancellationToken.None));

        Assert.Equal(CniErrorCode.PluginNotAvailable, error.Code);
        Assert.Equal($"network \"net-a\" cannot serve ADD: failed to find plugin \"missing\" in path [{RecordingPluginExecutor.BinDir}]", error.Message);
        Assert.DoesNotContain(_executor.Calls, c => c.Invocation.Command == "STATUS");
    }

    [Fact]
    public async Task StatusNetworkListAsync_InvalidPluginType_StaysInvalidConfig()
    {
        var list = List("1.1.0", """{"type":"../bridge"}""");

        var error = await Assert.ThrowsAsync<CniException>(() => new DelegateRuntime(new ProcessPluginExecutor(), new PluginVersionCache(_executor),
            new ResultCache(_cacheDir), [_cacheDir]).StatusNetworkListAsync(list, CancellationToken.None));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
    }

    [Fact]
    public async Task GcNetworkListsAsync_PluginNotInstalled_KeepsTheLookupsIoFailure()
    {
        var list = List("1.1.0", """{"type":"missing"}""");

        var error = await Assert.ThrowsAsync<CniException>(() => Runtime().GcNetworkListsAsync([list], [], sendToPlugins: true, CancellationToken.None));

        Assert.Equal(CniErrorCode.IoFailure, error.Code);
        Assert.Contains("failed to find plugin \"missing\"", error.Message);
    }

    [Fact]
    public async Task StatusNetworkListAsync_Only100Delegates_SendsNoStatus()
    {
        _executor.WithPlugin("bridge", "0.4.0", "1.0.0");

        await Runtime().StatusNetworkListAsync(List("1.1.0", """{"type":"bridge"}"""), CancellationToken.None);

        Assert.Equal(["bridge VERSION"], _executor.CallSummary);
    }

    private DelegateRuntime Runtime(bool backgroundOnThreadPool = false) =>
        new(_executor, new PluginVersionCache(_executor), new ResultCache(_cacheDir, backgroundOnThreadPool), [RecordingPluginExecutor.BinDir]);

    private static NetworkConfigList List(string version, params string[] plugins) =>
        NetworkConfigList.Parse(System.Text.Encoding.UTF8.GetBytes($$"""{"cniVersion":"{{version}}","name":"net-a","plugins":[{{string.Join(',', plugins)}}]}"""));
}
