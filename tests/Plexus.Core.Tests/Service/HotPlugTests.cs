using System.Text;
using System.Text.Json.Nodes;
using Plexus.Cni;
using Plexus.Cni.IO;
using Plexus.Cni.Results;
using Plexus.Core.Config;
using Plexus.Core.Ports;
using Plexus.Core.Service;
using Plexus.Core.Tests.Cache;
using Plexus.Testing;

namespace Plexus.Core.Tests.Service;

/// <summary>The hot-plug of one network into the rig's running pod <c>pods/web</c>, over the recording executor.</summary>
public sealed class HotPlugTests : IDisposable
{
    private const string MacvlanAnswer = """{"cniVersion":"1.0.0","interfaces":[{"name":"net1","sandbox":"/ns"}],"ips":[{"address":"192.168.9.7/24","interface":0}]}""";

    private static readonly string MacvlanConf = """{"cniVersion":"0.4.0","name":"dyn","type":"macvlan","master":"up0","capabilities":{"ips":true,"mac":true}}""";

    private readonly MetaPluginRig _rig = new();
    private readonly RecordingPodNetwork _pod = new() { Links = ["lo", "eth0"] };

    public HotPlugTests() => _rig.Executor.Answer("macvlan", "ADD", MacvlanAnswer);

    public void Dispose() => _rig.Dispose();

    [Fact]
    public async Task Add_WithIpsMacAndCniArgs_RunsOneNetworkOnTheIfNameWithCapabilitiesAndArgsCni()
    {
        var attributes = new HotPlugAttributes
        {
            Ips = ["192.168.9.7/24"],
            Mac = "02:00:00:00:00:07",
            CniArgs = new JsonObject { ["foo"] = "bar" },
        };

        var result = await RunAsync("ADD", MacvlanConf, attributes);

        var call = Assert.Single(_rig.Executor.Calls, c => c.Invocation.Command == "ADD");
        Assert.Equal("macvlan", call.Type);
        Assert.Equal("net1", call.Invocation.IfName);
        Assert.Equal("/ns", call.Invocation.NetnsPath);
        Assert.Equal("IgnoreUnknown=1;K8S_POD_NAMESPACE=pods;K8S_POD_NAME=web;K8S_POD_UID=uid-1", call.Invocation.Args.Format());
        Assert.Equal("""{"ips":["192.168.9.7/24"],"mac":"02:00:00:00:00:07"}""", call.Config!["runtimeConfig"]!.ToJsonString());
        Assert.Equal("bar", call.Config["args"]!["cni"]!["foo"]!.GetValue<string>());
        Assert.Equal(CniVersion.V100, result!.Version);
        Assert.Equal("192.168.9.7/24", ((Result100)result).Ips.Single().Address);
        // The network's own cniVersion reaches the delegate; only the answer is 1.0.0.
        Assert.Equal("0.4.0", call.Config["cniVersion"]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(_rig.Dir, "results", "dyn-c1-net1")));
        Assert.Empty(_rig.Kube.StatusWrites);
        Assert.Equal("Add net1 [192.168.9.7/24] from dyn", Assert.Single(_rig.Kube.Events).Message);
    }

    [Theory]
    [InlineData("ips", """{"ips":["10.1.1.1/24"]}""")]
    [InlineData("mac", """{"mac":"02:00:00:00:00:01"}""")]
    public async Task Add_AttributeWithoutCapability_RefusedBeforeAnyDelegateRuns(string key, string json)
    {
        var attributes = Attributes(json);
        var conf = """{"cniVersion":"1.0.0","name":"dyn","type":"macvlan","master":"up0"}""";

        var error = await Assert.ThrowsAsync<CniException>(() => RunAsync("ADD", conf, attributes));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains($"\"{key}\"", error.Message);
        Assert.Contains("network dyn", error.Message);
        Assert.Empty(_rig.Executor.Calls);
    }

    [Fact]
    public async Task Add_IfNameAlreadyInPod_RefusedWithoutRunningTheDelegate()
    {
        _pod.Links.Add("net1");

        var error = await Assert.ThrowsAsync<CniException>(() => RunAsync("ADD", MacvlanConf));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains("interface net1 already exists in the pod namespace /ns", error.Message);
        Assert.Empty(_rig.Executor.Calls);
    }

    [Fact]
    public async Task Add_PodNotInCache_ContainerUnknownAndNothingRuns()
    {
        _rig.Kube.Pods.Clear();

        var error = await Assert.ThrowsAsync<CniException>(() => RunAsync("ADD", MacvlanConf));

        Assert.Equal(CniErrorCode.ContainerUnknown, error.Code);
        Assert.Contains("pod pods/web does not exist", error.Message);
        Assert.Empty(_rig.Executor.Calls);
    }

    [Fact]
    public async Task Add_DelegateFails_ItsDelRunsAndTheErrorNamesPodNetworkAndInterface()
    {
        _rig.Executor.Fail("macvlan", "ADD", new CniException(CniErrorCode.PluginSpecific, "master up0 not found"));

        var error = await Assert.ThrowsAsync<CniException>(() => RunAsync("ADD", MacvlanConf));

        Assert.Equal("pod pods/web: ADD of network dyn (net1): master up0 not found", error.Message);
        Assert.Equal(["macvlan ADD", "macvlan DEL"], _rig.Executor.CallSummary);
    }

    [Fact]
    public async Task Add_DelegateAndItsDelFail_OnlyTheAddsErrorAndNoErrorLine()
    {
        var error = new CniException(CniErrorCode.PluginSpecific, "master up0 not found");
        _rig.Executor.Fail("macvlan", "ADD", error).Fail("macvlan", "DEL", error);

        var failure = await Assert.ThrowsAsync<CniException>(() => Hot(LogLevel.Error).RunAsync(Env("ADD"), Encoding.UTF8.GetBytes(MacvlanConf), null, CancellationToken.None));

        Assert.Equal("pod pods/web: ADD of network dyn (net1): master up0 not found", failure.Message);
        Assert.Equal(["macvlan ADD", "macvlan DEL"], _rig.Executor.CallSummary);
        Assert.DoesNotContain("its DEL failed too", _rig.Log.ToString());
    }

    /// <summary>
    /// The request's timeout fires just as the delegate's ADD returns: the caller is answered with the timeout and no cache
    /// records the network, so its DEL runs (uncancelled) and the pod's cache stays what the pod's ADD saved.
    /// </summary>
    [Fact]
    public async Task Add_CancelledAsTheDelegatesAddReturns_ItsDelStillRunsAndNothingIsRecorded()
    {
        var config = _rig.Config();
        await _rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", config), CancellationToken.None);
        var savedByAdd = File.ReadAllText(_rig.CacheFile);
        var events = _rig.Kube.Events.Count;
        using var timeout = new CancellationTokenSource();
        _rig.Executor.Answer("macvlan", "ADD", _ =>
        {
            timeout.Cancel();
            return MacvlanAnswer;
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Hot().RunAsync(Env("ADD"), Encoding.UTF8.GetBytes(MacvlanConf), null, timeout.Token));

        Assert.Equal(["bridge ADD", "macvlan ADD", "macvlan DEL"], _rig.Executor.CallSummary);
        Assert.Equal("net1", _rig.Runs("DEL").Single().Invocation.IfName);
        Assert.Equal(savedByAdd, File.ReadAllText(_rig.CacheFile));
        Assert.False(File.Exists(Path.Combine(_rig.Dir, "results", "dyn-c1-net1")));
        Assert.Equal(events, _rig.Kube.Events.Count);
        await _rig.Plugin().DelAsync(MetaPluginRig.Invocation("DEL", config), CancellationToken.None);
        Assert.Equal(["macvlan DEL", "bridge DEL"], _rig.Runs("DEL").Select(c => $"{c.Type} DEL"));
    }

    /// <summary>
    /// The request's timeout fires while the AddedInterface event is written, after the network is attached and recorded:
    /// the hot-plug is answered as done (a retried ADD would find the interface), the lost event is an error line.
    /// </summary>
    [Fact]
    public async Task Add_CancelledDuringItsEvent_AnsweredAsDoneRecordedAndNotUndone()
    {
        var config = _rig.Config();
        await _rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", config), CancellationToken.None);
        var events = _rig.Kube.Events.Count;
        using var timeout = new CancellationTokenSource();
        _rig.Kube.DuringEvent = timeout.Cancel;

        var result = await Hot(LogLevel.Error).RunAsync(Env("ADD"), Encoding.UTF8.GetBytes(MacvlanConf), null, timeout.Token);

        Assert.Equal("192.168.9.7/24", ((Result100)result!).Ips.Single().Address);
        Assert.Equal(["bridge ADD", "macvlan ADD"], _rig.Executor.CallSummary);
        Assert.Equal(events, _rig.Kube.Events.Count);
        Assert.Contains("pod pods/web: network dyn (net1) is attached, but its AddedInterface event was not recorded", _rig.Log.ToString(), StringComparison.Ordinal);
        _rig.Kube.DuringEvent = null;
        await _rig.Plugin().DelAsync(MetaPluginRig.Invocation("DEL", config), CancellationToken.None);
        Assert.Equal(["macvlan DEL", "bridge DEL"], _rig.Runs("DEL").Select(c => $"{c.Type} DEL"));
    }

    [Fact]
    public async Task Add_CancelledAndItsDelFails_ErrorLineSaysWhatMayStayUnrecorded()
    {
        using var timeout = new CancellationTokenSource();
        _rig.Executor.Answer("macvlan", "ADD", _ =>
        {
            timeout.Cancel();
            return MacvlanAnswer;
        }).Fail("macvlan", "DEL", CniException.Io("link net1 busy"));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Hot(LogLevel.Error).RunAsync(Env("ADD"), Encoding.UTF8.GetBytes(MacvlanConf), null, timeout.Token));

        Assert.Contains("pod pods/web: ADD of network dyn (net1) was cancelled, and its DEL failed too: link net1 busy; " +
            "what it attached may stay in the pod, recorded in no delegate cache: remove it by hand", _rig.Log.ToString());
    }

    /// <summary>A symlink to itself cannot be opened, for root too (a file without read permission could be).</summary>
    [Fact]
    public async Task Add_PodsDelegateCacheCannotBeRead_IoErrorSayingWhatToCheckAndNothingRuns()
    {
        File.CreateSymbolicLink(_rig.CacheFile, _rig.CacheFile);

        var error = await Assert.ThrowsAsync<CniException>(() => RunAsync("ADD", MacvlanConf));

        Assert.Equal(CniErrorCode.IoFailure, error.Code);
        Assert.StartsWith($"pod pods/web: ADD of network dyn (net1): the delegate cache {_rig.CacheFile} could not be read: ", error.Message);
        Assert.EndsWith("the hot-plugged network is recorded in the pod's delegate cache for the pod's DEL, so nothing was attached", error.Message);
        Assert.Contains("check that plexusd can read that file (its owner and mode", error.Details);
        Assert.Empty(_rig.Executor.Calls);
        Assert.Equal(_rig.CacheFile, new FileInfo(_rig.CacheFile).LinkTarget);
    }

    /// <summary>
    /// The interface is gone but the cache cannot be rewritten: the container id is long enough for the cache file's name
    /// and too long for its temp file's (which fails for root too).
    /// </summary>
    [Fact]
    public async Task Del_CacheCannotBeRewritten_AnsweredAsDoneWithAnErrorLineNamingPodNetworkAndInterface()
    {
        var containerId = new string('c', 240);
        var cacheFile = Path.Combine(_rig.Dir, containerId);
        var cache = $$"""
            {"kind":"plexusDelegateCacheV1","containerId":"{{containerId}}","attachments":[
             {"network":"cbr0","ifName":"eth0","conf":{"cniVersion":"1.0.0","name":"cbr0","plugins":[{"type":"bridge"}]},"clusterNetwork":true},
             {"network":"dyn","ifName":"net1","conf":{"cniVersion":"0.4.0","name":"dyn","plugins":[{"type":"macvlan"}]},"clusterNetwork":false}]}
            """;
        File.WriteAllText(cacheFile, cache);
        var env = Env("DEL");
        env["CNI_CONTAINERID"] = containerId;

        await Hot(LogLevel.Error).RunAsync(env, Encoding.UTF8.GetBytes(MacvlanConf), null, CancellationToken.None);

        Assert.Equal(["macvlan DEL"], _rig.Executor.CallSummary);
        Assert.Equal(cache, File.ReadAllText(cacheFile));
        var log = _rig.Log.ToString();
        Assert.Contains($"pod pods/web: network dyn (net1) is unplugged (its interface is gone), but cannot save the delegate cache {cacheFile}: ", log);
        Assert.Contains("; that cache still names the network, so the pod's DEL will run its DEL once more. check that cniDir is writable", log);
    }

    /// <summary>
    /// retryDeleteOnError kept the pod's two extra networks after their DELs failed: no cluster network is left, net1 is
    /// first. The controller then unplugs net1, which leaves that cache too, so the runtime's next DEL retries only net2.
    /// </summary>
    [Fact]
    public async Task Del_FirstOfWhatAFailedPodDelKept_UnplugTakesItOutSoTheRetryRunsOnlyTheOther()
    {
        const string aConf = """{"cniVersion":"1.0.0","name":"a-conf","type":"macvlan","master":"up0"}""";
        _rig.Executor.WithPlugin("ipvlan");
        _rig.Kube.AddNad("pods", "a", aConf);
        _rig.Kube.AddNad("pods", "b", """{"cniVersion":"1.0.0","name":"b-conf","type":"ipvlan","master":"up1"}""");
        _rig.Annotate("a, b");
        var config = _rig.Config(""","retryDeleteOnError":true""");
        await _rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", config), CancellationToken.None);
        _rig.Executor.Fail("macvlan", "DEL", CniException.Io("macvlan busy")).Fail("ipvlan", "DEL", CniException.Io("ipvlan busy"));
        await Assert.ThrowsAsync<CniException>(() => _rig.Plugin().DelAsync(MetaPluginRig.Invocation("DEL", config), CancellationToken.None));
        Assert.Equal([("net1", false), ("net2", false)], CachedAttachments().Select(a => ((string)a!["ifName"]!, (bool)a["clusterNetwork"]!)));
        _rig.Executor.Answer("macvlan", "DEL", "").Answer("ipvlan", "DEL", "");

        await RunAsync("DEL", aConf, ifName: "net1");

        Assert.Equal(["net2"], CachedAttachments().Select(a => (string?)a!["ifName"]));
        await _rig.Plugin(kubernetes: false).DelAsync(MetaPluginRig.Invocation("DEL", config), CancellationToken.None);
        Assert.Equal(["ipvlan net2 b-conf", "macvlan net1 a-conf", "bridge eth0 cbr0", "macvlan net1 a-conf", "ipvlan net2 b-conf"], PodDelRuns());
        Assert.False(File.Exists(_rig.CacheFile));
    }

    [Fact]
    public async Task Del_RunsTheNetworksDelOnTheIfNameAndDropsItsResultCache()
    {
        await RunAsync("ADD", MacvlanConf);

        var result = await RunAsync("DEL", MacvlanConf);

        Assert.Null(result);
        var del = Assert.Single(_rig.Executor.Calls, c => c.Invocation.Command == "DEL");
        Assert.Equal("net1", del.Invocation.IfName);
        Assert.False(File.Exists(Path.Combine(_rig.Dir, "results", "dyn-c1-net1")));
        // The pod was not attached through this cniDir: no delegate cache is made up for it.
        Assert.False(File.Exists(_rig.CacheFile));
    }

    // A hot-plug has no meta config of its own: it logs at the host's level (plexusd's).
    [Theory]
    [InlineData(LogLevel.Verbose, true)]
    [InlineData(LogLevel.Error, false)]
    public async Task Add_PodWithoutDelegateCache_VerboseLineOnlyAtAVerboseHost(LogLevel hostLevel, bool logged)
    {
        await Hot(hostLevel).RunAsync(Env("ADD"), Encoding.UTF8.GetBytes(MacvlanConf), null, CancellationToken.None);

        Assert.Equal(logged, _rig.Log.ToString().Contains("[verbose] plexus: container c1: no delegate cache in", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Add_PodAttachedByThisCniDir_PodsOwnDelAlsoRemovesTheHotPluggedNetwork()
    {
        var config = _rig.Config();
        await _rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", config), CancellationToken.None);
        await RunAsync("ADD", MacvlanConf);

        await _rig.Plugin().DelAsync(MetaPluginRig.Invocation("DEL", config), CancellationToken.None);

        Assert.Equal(["bridge ADD", "macvlan ADD", "macvlan DEL", "bridge DEL"], _rig.Executor.CallSummary);
        Assert.Equal("net1", _rig.Runs("DEL").First().Invocation.IfName);
        Assert.False(File.Exists(_rig.CacheFile));
    }

    [Fact]
    public async Task Del_AfterHotPlug_PodsOwnDelNoLongerRunsTheUnpluggedNetwork()
    {
        var config = _rig.Config();
        await _rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", config), CancellationToken.None);
        await RunAsync("ADD", MacvlanConf);
        await RunAsync("DEL", MacvlanConf);

        await _rig.Plugin().DelAsync(MetaPluginRig.Invocation("DEL", config), CancellationToken.None);

        Assert.Equal(["bridge ADD", "macvlan ADD", "macvlan DEL", "bridge DEL"], _rig.Executor.CallSummary);
    }

    [Fact]
    public async Task Del_AfterHotPlug_CacheIsAgainTheOneThePodsAddSaved()
    {
        var config = _rig.Config();
        await _rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", config), CancellationToken.None);
        var savedByAdd = File.ReadAllText(_rig.CacheFile);
        await RunAsync("ADD", MacvlanConf);
        Assert.NotEqual(savedByAdd, File.ReadAllText(_rig.CacheFile));

        await RunAsync("DEL", MacvlanConf);

        Assert.Equal(savedByAdd, File.ReadAllText(_rig.CacheFile));
        Assert.Empty(Directory.EnumerateFiles(_rig.Dir, AtomicFile.TempPrefix + "*"));
    }

    /// <summary>
    /// The pod's ADD attached NAD <c>pods/a</c> (its config named <c>a-conf</c>) on net1 and mv2 and <c>pods/b</c> on net3;
    /// the controller unplugs net1 with the NAD's config, which names the network by its conf only.
    /// </summary>
    [Fact]
    public async Task Del_NetworkThePodsAddAttached_UnplugTakesItOutSoPodsDelRunsEveryDelegateOnce()
    {
        const string aConf = """{"cniVersion":"1.0.0","name":"a-conf","type":"macvlan","master":"up0"}""";
        _rig.Kube.AddNad("pods", "a", aConf);
        _rig.Kube.AddNad("pods", "b", """{"cniVersion":"1.0.0","name":"b-conf","type":"macvlan","master":"up1"}""");
        _rig.Annotate("a, a@mv2, b");
        var config = _rig.Config();
        await _rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", config), CancellationToken.None);
        Assert.Equal(["eth0", "net1", "mv2", "net3"], CachedAttachments().Select(a => (string?)a!["ifName"]));

        await RunAsync("DEL", aConf, ifName: "net1");

        Assert.Equal([("cbr0", "eth0", "cbr0"), ("pods/a", "mv2", "a-conf"), ("pods/b", "net3", "b-conf")],
            CachedAttachments().Select(a => ((string?)a!["network"], (string?)a["ifName"], (string?)a["conf"]!["name"])));
        Assert.Empty(Directory.EnumerateFiles(_rig.Dir, AtomicFile.TempPrefix + "*"));

        await _rig.Plugin().DelAsync(MetaPluginRig.Invocation("DEL", config), CancellationToken.None);

        Assert.Equal(["macvlan net1 a-conf", "macvlan net3 b-conf", "macvlan mv2 a-conf", "bridge eth0 cbr0"], PodDelRuns());
        Assert.False(File.Exists(_rig.CacheFile));
    }

    private JsonArray CachedAttachments() => JsonNode.Parse(File.ReadAllText(_rig.CacheFile))!["attachments"]!.AsArray();

    /// <summary>The pod's DEL on a node switched from Multus: the runtime's interface and runtimeConfig, Multus's cache in cniDir.</summary>
    private Task PodDelAsync() => _rig.Plugin(kubernetes: false).DelAsync(MetaPluginRig.Invocation("DEL", _rig.Config(
        ""","runtimeConfig":{"portMappings":[{"hostPort":8080,"containerPort":80,"protocol":"tcp"}]}""")), CancellationToken.None);

    private IEnumerable<string> PodDelRuns() => _rig.Runs("DEL").Select(c => $"{c.Type} {c.Invocation.IfName} {c.Config!["name"]}");

    [Fact]
    public async Task Add_PodMultusAdded_JoinsMultusCacheSoPodsDelRemovesItAndTheOthers()
    {
        _rig.Executor.WithPlugin("tuning");
        File.WriteAllText(_rig.CacheFile, MultusCacheSamples.ThreeDelegates());
        var attributes = new HotPlugAttributes { Ips = ["192.168.9.7/24"], Mac = "02:00:00:00:00:07" };

        await RunAsync("ADD", MacvlanConf, attributes, ifName: "net3");

        // Still Multus's cache, one element more: no cache of Plexus's beside it.
        Assert.Equal(4, JsonNode.Parse(File.ReadAllText(_rig.CacheFile))!.AsArray().Count);
        Assert.Empty(Directory.EnumerateFiles(_rig.Dir, AtomicFile.TempPrefix + "*"));

        await PodDelAsync();

        Assert.Equal(["macvlan net3 dyn", "bridge data0 data-net", "tuning net1 macvlan-conf", "macvlan net1 macvlan-conf", "bridge eth0 cbr0"], PodDelRuns());
        var hotDel = _rig.Runs("DEL").First();
        Assert.Equal("""{"ips":["192.168.9.7/24"],"mac":"02:00:00:00:00:07"}""", hotDel.Config!["runtimeConfig"]!.ToJsonString());
        Assert.Equal("IgnoreUnknown=1;K8S_POD_NAMESPACE=pods;K8S_POD_NAME=web;K8S_POD_UID=uid-1", hotDel.Invocation.Args.Format());
        Assert.False(File.Exists(_rig.CacheFile));
        Assert.False(File.Exists(Path.Combine(_rig.Dir, "results", "dyn-c1-net3")));
    }

    [Fact]
    public async Task Del_HotPluggedIntoPodMultusAdded_UnplugRestoresMultusCacheAndPodsDelSkipsIt()
    {
        _rig.Executor.WithPlugin("tuning");
        File.WriteAllText(_rig.CacheFile, MultusCacheSamples.ThreeDelegates());
        await RunAsync("ADD", MacvlanConf, ifName: "net3");

        await RunAsync("DEL", MacvlanConf, ifName: "net3");

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(MultusCacheSamples.ThreeDelegates()), JsonNode.Parse(File.ReadAllText(_rig.CacheFile))));
        await PodDelAsync();
        Assert.Equal(["macvlan net3 dyn", "bridge data0 data-net", "tuning net1 macvlan-conf", "macvlan net1 macvlan-conf", "bridge eth0 cbr0"], PodDelRuns());
    }

    [Theory]
    [InlineData("""[{"Name":"cbr0","Bytes":"%%"}]""", "is not a readable Multus delegate cache", "at $[0].Bytes: not base64")]
    [InlineData("[]", "is not a readable Multus delegate cache", "must be a non-empty JSON array of delegates")]
    [InlineData("""[{"Name":"cbr0",""", "is not a readable Multus delegate cache", "is not valid JSON")]
    [InlineData("""[{"Bytes":"WzFd"}]""", "is not a readable Multus delegate cache", "at $[0].Bytes must be a JSON object")]
    [InlineData("""{"kind":"plexusDelegateCacheV1","containerId":"c1"}""", "is not a readable delegate cache", "has no attachments")]
    [InlineData("""{"kind":"plexusDelegateCacheV1","containerId":"other","attachments":[]}""", "is not a plexus delegate cache for container c1", "")]
    public async Task Add_PodsDelegateCacheUnusable_RefusedSayingWhyNothingRunsNothingOnDiskChanges(string cache, string problem, string detail)
    {
        File.WriteAllText(_rig.CacheFile, cache);
        var before = Directory.EnumerateFileSystemEntries(_rig.Dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();

        var error = await Assert.ThrowsAsync<CniException>(() => RunAsync("ADD", MacvlanConf));

        Assert.Equal(CniErrorCode.DecodeFailure, error.Code);
        Assert.StartsWith($"pod pods/web: ADD of network dyn (net1): {_rig.CacheFile} {problem}", error.Message);
        Assert.Contains(detail, error.Message);
        Assert.EndsWith("the hot-plugged network is recorded in the pod's delegate cache for the pod's DEL, so nothing was attached", error.Message);
        Assert.Contains("repair or remove that file", error.Details);
        Assert.Empty(_rig.Executor.Calls);
        Assert.Equal(cache, File.ReadAllText(_rig.CacheFile));
        Assert.Equal(before, Directory.EnumerateFileSystemEntries(_rig.Dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
        Assert.Empty(_rig.Kube.Events);
    }

    [Theory]
    [InlineData("""[{"Name":"cbr0","Bytes":"%%"}]""", "is not a readable Multus delegate cache")]
    [InlineData("""{"kind":"plexusDelegateCacheV1","containerId":"c1","attachments":[{"network":"dyn","ifName":"net1"}]}""", "is not a readable delegate cache")]
    [InlineData("""{"kind":"plexusDelegateCacheV1","containerId":"other","attachments":[]}""", "is not a plexus delegate cache for container c1")]
    public async Task Del_PodsDelegateCacheUnusable_UnplugStillDetachesAndLeavesTheFileAsItIs(string corrupt, string problem)
    {
        File.WriteAllText(_rig.CacheFile, corrupt);

        await Hot(LogLevel.Error).RunAsync(Env("DEL"), Encoding.UTF8.GetBytes(MacvlanConf), null, CancellationToken.None);

        Assert.Equal(["macvlan DEL"], _rig.Executor.CallSummary);
        Assert.Equal(corrupt, File.ReadAllText(_rig.CacheFile));
        Assert.Contains($"{_rig.CacheFile} {problem}", _rig.Log.ToString());
        Assert.Contains("left as it is after unplugging network dyn (net1)", _rig.Log.ToString());
    }

    [Fact]
    public async Task Del_DelegateFails_ErrorReturnedToTheCaller()
    {
        _rig.Executor.Fail("macvlan", "DEL", new CniException(CniErrorCode.IoFailure, "busy"));

        var error = await Assert.ThrowsAsync<CniException>(() => RunAsync("DEL", MacvlanConf));

        Assert.Equal(CniErrorCode.IoFailure, error.Code);
        Assert.Equal("pod pods/web: DEL of network dyn (net1): busy", error.Message);
    }

    [Fact]
    public async Task Check_RunsTheNetworksCheckWithTheCachedResult()
    {
        await RunAsync("ADD", MacvlanConf);

        await RunAsync("CHECK", MacvlanConf);

        var check = Assert.Single(_rig.Executor.Calls, c => c.Invocation.Command == "CHECK");
        Assert.Equal("192.168.9.7/24", check.Config!["prevResult"]!["ips"]![0]!["address"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("GC")]
    [InlineData("STATUS")]
    [InlineData("VERSION")]
    [InlineData("BOGUS")]
    public async Task Run_VerbOtherThanAddDelCheck_InvalidEnvironmentNamingTheVerb(string verb)
    {
        var error = await Assert.ThrowsAsync<CniException>(() => RunAsync(verb, MacvlanConf));

        Assert.Equal(CniErrorCode.InvalidEnvironment, error.Code);
        Assert.Contains($"/delegate does not serve CNI_COMMAND \"{verb}\"", error.Message);
        Assert.Empty(_rig.Executor.Calls);
    }

    [Theory]
    [InlineData("", CniErrorCode.DecodeFailure, "network config is not valid JSON")]
    [InlineData("""{"cniVersion":"1.0.0","type":"macvlan"}""", CniErrorCode.InvalidNetworkConfig, "has no \"name\"")]
    [InlineData("""{"cniVersion":"1.0.0","name":"dyn"}""", CniErrorCode.InvalidNetworkConfig, "network dyn")]
    public async Task Run_BadNetworkConfig_ClearErrorAndNothingRuns(string conf, int code, string expected)
    {
        var error = await Assert.ThrowsAsync<CniException>(() => RunAsync("ADD", conf));

        Assert.Equal(code, error.Code);
        Assert.Contains(expected, error.Message);
        Assert.Empty(_rig.Executor.Calls);
    }

    [Theory]
    [InlineData("CNI_ARGS", "IgnoreUnknown=1", "CNI_ARGS name no pod")]
    [InlineData("CNI_NETNS", "", "[CNI_NETNS] missing")]
    [InlineData("CNI_CONTAINERID", "", "[CNI_CONTAINERID] missing")]
    [InlineData("CNI_CONTAINERID", "bad id!", "invalid characters in CNI_CONTAINERID")]
    [InlineData("CNI_COMMAND", "", "[CNI_COMMAND] missing")]
    [InlineData("CNI_IFNAME", "a/b", "invalid CNI_IFNAME")]
    public async Task Add_BadEnvironment_InvalidEnvironment(string key, string value, string expected)
    {
        var env = Env("ADD");
        env[key] = value;

        var error = await Assert.ThrowsAsync<CniException>(() => Hot().RunAsync(env, Encoding.UTF8.GetBytes(MacvlanConf), null, CancellationToken.None));

        Assert.Equal(CniErrorCode.InvalidEnvironment, error.Code);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task Add_NoIfNameAndNoCniPath_DefaultsToEth0AsMultusAndUsesTheDaemonsBinDir()
    {
        var env = Env("ADD");
        env.Remove("CNI_IFNAME");
        env.Remove("CNI_PATH");
        _pod.Links.Remove("eth0");

        await Hot().RunAsync(env, Encoding.UTF8.GetBytes(MacvlanConf), null, CancellationToken.None);

        var call = Assert.Single(_rig.Executor.Calls, c => c.Invocation.Command == "ADD");
        Assert.Equal("eth0", call.Invocation.IfName);
        Assert.Equal([RecordingPluginExecutor.BinDir], call.Invocation.PluginDirs);
    }

    [Fact]
    public void SelectionOf_EmptyAttributes_AskForNothing()
    {
        var selection = HotPlug.SelectionOf(new HotPlugAttributes { Ips = [], Mac = "" });

        Assert.Null(selection!.Ips);
        Assert.Null(selection.Mac);
        Assert.Null(HotPlug.SelectionOf(null));
    }

    private Task<CniResult?> RunAsync(string command, string conf, HotPlugAttributes? attributes = null, string ifName = "net1") =>
        Hot().RunAsync(Env(command, ifName), Encoding.UTF8.GetBytes(conf), attributes, CancellationToken.None);

    private HotPlug Hot(LogLevel logLevel = LogLevel.Panic) => new(new MetaPluginHost
    {
        Executor = _rig.Executor,
        ConnectKubernetes = _ => _rig.Kube.Ports,
        PodNetwork = _pod,
        Log = _rig.Log,
        DefaultLogLevel = logLevel,
    }, new HotPlugSettings { BinDir = RecordingPluginExecutor.BinDir, CniDir = _rig.Dir });

    private static HotPlugAttributes Attributes(string json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        return new HotPlugAttributes
        {
            Ips = node["ips"]?.AsArray().Select(i => i!.GetValue<string>()).ToList(),
            Mac = node["mac"]?.GetValue<string>(),
        };
    }

    private static Dictionary<string, string> Env(string command, string ifName = "net1") => new()
    {
        ["CNI_COMMAND"] = command,
        ["CNI_CONTAINERID"] = "c1",
        ["CNI_NETNS"] = "/ns",
        ["CNI_IFNAME"] = ifName,
        ["CNI_PATH"] = "/nonexistent",
        ["CNI_ARGS"] = "K8S_POD_NAMESPACE=pods;K8S_POD_NAME=web;K8S_POD_UID=uid-1",
    };
}
