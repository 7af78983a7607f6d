using System.Text;
using System.Text.Json.Nodes;
using Plexus.Cni;
using Plexus.Cni.Invoke;
using Plexus.Cni.Results;
using Plexus.Cni.Skel;
using Plexus.Core.Ports;
using Plexus.Core.Service;
using Plexus.Testing;

namespace Plexus.Core.Tests.Service;

/// <summary>The verbs' flow with a recording executor and in-memory API: which delegates run and which API requests are made.</summary>
public sealed class MetaPluginTests : IDisposable
{
    private const string BridgeAnswer = MetaPluginRig.BridgeAnswer;
    private readonly string dir = Directory.CreateTempSubdirectory("plexus-meta-").FullName;
    private readonly FakeKubernetes kube = new();
    private readonly RecordingPluginExecutor executor = new RecordingPluginExecutor().WithPlugin("bridge").WithPlugin("macvlan", "0.3.1", "0.4.0", "1.0.0");

    public MetaPluginTests()
    {
        executor.Answer("bridge", "ADD", BridgeAnswer);
        kube.Pods[new PodRef("pods", "web")] = new PodInfo
        {
            Ref = new PodRef("pods", "web"),
            Uid = "uid-1",
            Annotations = new Dictionary<string, string> { ["k8s.v1.cni.cncf.io/networks"] = "a,a@second" },
        };
        kube.AddNad("pods", "a", """{"cniVersion":"1.0.0","type":"macvlan"}""");
    }

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string Config(string extra = "") => $$"""
        {"cniVersion":"1.0.0","name":"plexus-net","type":"plexus","cniDir":"{{dir}}","binDir":"{{RecordingPluginExecutor.BinDir}}",
         "delegates":[{"cniVersion":"1.0.0","name":"cbr0","type":"bridge"}]{{extra}}}
        """;

    private Core.Service.MetaPlugin Plugin(bool kubernetes = true, bool onThreadPool = false, bool beside = true, IPluginExecutor? through = null,
        IAttachmentObserver? observer = null) => new(new MetaPluginHost
    {
        Executor = through ?? executor,
        AttachmentObserver = observer,
        ConnectKubernetes = _ => kubernetes ? kube.Ports : null,
        PodNetwork = new RecordingPodNetwork(),
        BackgroundWorkOnThreadPool = onThreadPool,
        ApiWorkBesideClusterNetwork = beside,
    });

    private string[] CachedInterfaces() =>
        [.. JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "c1")))!["attachments"]!.AsArray().Select(a => (string)a!["ifName"]!)];

    private static CniInvocation Invocation(string command, string config, string uid = "uid-1") => CniInvocation.Create(new Dictionary<string, string>
    {
        ["CNI_COMMAND"] = command,
        ["CNI_CONTAINERID"] = "c1",
        ["CNI_NETNS"] = "/ns",
        ["CNI_IFNAME"] = "eth0",
        ["CNI_PATH"] = "/nonexistent",
        ["CNI_ARGS"] = $"IgnoreUnknown=1;K8S_POD_NAMESPACE=pods;K8S_POD_NAME=web;K8S_POD_UID={uid}",
    }, Encoding.UTF8.GetBytes(config));

    /// <summary>Multus looks delegates up in its binDir first, then in the runtime's CNI_PATH.</summary>
    [Fact]
    public async Task Add_DelegateLookup_BinDirBeforeCniPath()
    {
        var lookups = new LookupRecorder(executor);

        await Plugin(through: lookups).AddAsync(Invocation("ADD", Config()), CancellationToken.None);

        Assert.NotEmpty(lookups.BinDirs);
        Assert.All(lookups.BinDirs, dirs => Assert.Equal([RecordingPluginExecutor.BinDir, "/nonexistent"], dirs));
    }

    private sealed class LookupRecorder(IPluginExecutor inner) : IPluginExecutor
    {
        public System.Collections.Concurrent.ConcurrentQueue<string[]> BinDirs { get; } = new();

        public string Locate(string type, IReadOnlyList<string> binDirs)
        {
            BinDirs.Enqueue([.. binDirs]);
            return inner.Locate(type, binDirs);
        }

        public Task<byte[]> ExecuteAsync(PluginInvocation invocation, CancellationToken cancellationToken) => inner.ExecuteAsync(invocation, cancellationToken);
    }

    [Fact]
    public async Task Add_TwoAttachmentsOfOneNad_OneNadGetOneStatusOneEvent()
    {
        var result = await Plugin().AddAsync(Invocation("ADD", Config()), CancellationToken.None);

        Assert.Equal(["get pod pods/web", "get nad pods/a", "patch status pods/web", "create event pods/web"], kube.Requests);
        Assert.Equal(["bridge ADD", "macvlan ADD", "macvlan ADD"], executor.CallSummary.Where(c => !c.EndsWith("VERSION")));
        Assert.Equal(["eth0", "net1", "second"], executor.Calls.Where(c => c.Invocation.Command == "ADD").Select(c => c.Invocation.IfName));
        Assert.Equal(["10.0.0.5/24"], ((Result100)result).Ips.Select(i => i.Address));
        Assert.Equal("Add eth0 [10.0.0.5/24] from cbr0; Add net1 [] from pods/a; Add second [] from pods/a", kube.Events.Single().Message);
    }

    [Fact]
    public async Task Add_RuntimePassesAnnotations_NoPodGet()
    {
        var config = Config(""","runtimeConfig":{"io.kubernetes.cri.pod-annotations":{"k8s.v1.cni.cncf.io/networks":"a"},"portMappings":[{"hostPort":80}]}""");

        await Plugin().AddAsync(Invocation("ADD", config), CancellationToken.None);

        Assert.DoesNotContain(kube.Requests, r => r.StartsWith("get pod", StringComparison.Ordinal));
        Assert.Equal(["eth0", "net1"], executor.Calls.Where(c => c.Invocation.Command == "ADD").Select(c => c.Invocation.IfName));
    }

    [Fact]
    public async Task Add_SelectedNetworksReadWhileClusterNetworkRuns_CacheNamesClusterNetworkThenAll()
    {
        using var clusterAddStarted = new ManualResetEventSlim();
        using var nadAsked = new ManualResetEventSlim();
        string[]? cachedAtClusterAdd = null;
        string[]? cachedAtFirstExtraAdd = null;
        var nadAskedDuringClusterAdd = false;
        executor.Answer("bridge", "ADD", _ =>
        {
            cachedAtClusterAdd = CachedInterfaces();
            clusterAddStarted.Set();
            nadAskedDuringClusterAdd = nadAsked.Wait(TimeSpan.FromSeconds(10));
            return BridgeAnswer;
        });
        executor.Answer("macvlan", "ADD", _ =>
        {
            cachedAtFirstExtraAdd ??= CachedInterfaces();
            return """{"cniVersion":"1.0.0"}""";
        });
        // Read before the cluster network's delegate starts, the NAD would wait here for good (10 s, then fail).
        kube.DuringNadGet = () =>
        {
            nadAsked.Set();
            if (!clusterAddStarted.Wait(TimeSpan.FromSeconds(10)))
            {
                throw new TimeoutException("the NAD was read before the cluster network's delegate started, not while it ran");
            }
        };

        await Plugin().AddAsync(Invocation("ADD", Config()), CancellationToken.None);

        Assert.True(nadAskedDuringClusterAdd);
        Assert.Equal(["eth0"], cachedAtClusterAdd!);
        Assert.Equal(["eth0", "net1", "second"], cachedAtFirstExtraAdd!);
        Assert.Equal(["bridge ADD", "macvlan ADD", "macvlan ADD"], executor.CallSummary.Where(c => !c.EndsWith("VERSION")));
        Assert.Equal(["get pod pods/web", "get nad pods/a", "patch status pods/web", "create event pods/web"], kube.Requests);
    }

    [Fact]
    public async Task Add_NoSelectedNetworks_ConnectionOpenedWhileClusterNetworkRuns()
    {
        var config = Config(""","runtimeConfig":{"io.kubernetes.cri.pod-annotations":{}}""");
        using var clusterAddStarted = new ManualResetEventSlim();
        using var connecting = new ManualResetEventSlim();
        var connectingDuringClusterAdd = false;
        executor.Answer("bridge", "ADD", _ =>
        {
            clusterAddStarted.Set();
            connectingDuringClusterAdd = connecting.Wait(TimeSpan.FromSeconds(10));
            return BridgeAnswer;
        });
        kube.DuringConnectAhead = () =>
        {
            connecting.Set();
            if (!clusterAddStarted.Wait(TimeSpan.FromSeconds(10)))
            {
                throw new TimeoutException("the connection was opened before the cluster network's delegate started, not while it ran");
            }
        };

        await Plugin().AddAsync(Invocation("ADD", config), CancellationToken.None);

        Assert.True(connectingDuringClusterAdd);
        Assert.Equal(["connect", "patch status pods/web", "create event pods/web"], kube.Requests);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    public async Task Add_KubeconfigUnusable_AttachmentsUndoneErrorNamesStep(string networks)
    {
        var config = Config($$$""","runtimeConfig":{"io.kubernetes.cri.pod-annotations":{"k8s.v1.cni.cncf.io/networks":"{{{networks}}}"}}""");
        var plugin = new Core.Service.MetaPlugin(new MetaPluginHost
        {
            Executor = executor,
            ConnectKubernetes = path => throw new CniException(CniErrorCode.InvalidNetworkConfig, $"cannot load kubeconfig {path}: no such file"),
            PodNetwork = new RecordingPodNetwork(),
        });

        var error = await Assert.ThrowsAsync<CniException>(() => plugin.AddAsync(Invocation("ADD", config.Replace("\"type\":\"plexus\"", "\"type\":\"plexus\",\"kubeconfig\":\"/gone\"")), CancellationToken.None));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.EndsWith("cannot load kubeconfig /gone: no such file", error.Message);
        Assert.StartsWith("every attachment was removed again.", error.Details);
        Assert.Equal(["bridge ADD", "bridge DEL"], executor.CallSummary.Where(c => !c.EndsWith("VERSION")));
        Assert.False(File.Exists(Path.Combine(dir, "c1")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Add_MissingNad_ClusterNetworkUndoneWarningEventNothingCached(bool onThreadPool)
    {
        kube.Pods[new PodRef("pods", "web")] = kube.Pods[new PodRef("pods", "web")] with
        {
            Annotations = new Dictionary<string, string> { ["k8s.v1.cni.cncf.io/networks"] = "ghost" },
        };

        var error = await Assert.ThrowsAsync<CniException>(() => Plugin(onThreadPool: onThreadPool).AddAsync(Invocation("ADD", Config()), CancellationToken.None));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Equal("pod pods/web: cannot find a network-attachment-definition (ghost) in namespace (pods)", error.Message);
        Assert.StartsWith("every attachment was removed again.", error.Details);
        Assert.Equal(["bridge ADD", "bridge DEL"], executor.CallSummary.Where(c => !c.EndsWith("VERSION")));
        Assert.Equal(("Warning", "NoNetworkFound"), (kube.Events.Single().Type.ToString(), kube.Events.Single().Reason));
        Assert.False(File.Exists(Path.Combine(dir, "c1")));
        Assert.False(Directory.Exists(Path.Combine(dir, "results")) && Directory.EnumerateFileSystemEntries(Path.Combine(dir, "results")).Any());
    }

    [Fact]
    public async Task Add_NadSpecConfigBroken_ErrorNamesPodAndNadClusterNetworkUndone()
    {
        kube.AddNad("pods", "a", "{not json");

        var error = await Assert.ThrowsAsync<CniException>(() => Plugin().AddAsync(Invocation("ADD", Config()), CancellationToken.None));

        Assert.Equal(CniErrorCode.DecodeFailure, error.Code);
        Assert.StartsWith("pod pods/web: NetworkAttachmentDefinition pods/a: spec.config is not valid JSON", error.Message);
        Assert.Equal(["bridge ADD", "bridge DEL"], executor.CallSummary.Where(c => !c.EndsWith("VERSION")));
    }

    [Fact]
    public async Task Add_MissingNadReadBeforeClusterNetwork_NoDelegateRuns()
    {
        kube.Pods[new PodRef("pods", "web")] = kube.Pods[new PodRef("pods", "web")] with
        {
            Annotations = new Dictionary<string, string> { ["k8s.v1.cni.cncf.io/networks"] = "ghost" },
        };

        var error = await Assert.ThrowsAsync<CniException>(() => Plugin(beside: false).AddAsync(Invocation("ADD", Config()), CancellationToken.None));

        Assert.Equal("pod pods/web: cannot find a network-attachment-definition (ghost) in namespace (pods)", error.Message);
        Assert.DoesNotContain(executor.Calls, c => c.Invocation.Command is "ADD" or "DEL");
        Assert.Single(kube.Events);
        Assert.False(File.Exists(Path.Combine(dir, "c1")));
    }

    [Fact]
    public async Task Add_ClusterNetworkFailsWhileNadsAreRead_RollbackWaitsForThemNothingCached()
    {
        using var clusterAddStarted = new ManualResetEventSlim();
        var order = new System.Collections.Concurrent.ConcurrentQueue<string>();
        executor.Answer("bridge", "ADD", _ =>
        {
            clusterAddStarted.Set();
            throw CniException.Io("bridge broke");
        });
        executor.Answer("bridge", "DEL", _ =>
        {
            order.Enqueue("bridge DEL");
            return "";
        });
        kube.DuringNadGet = () =>
        {
            clusterAddStarted.Wait(TimeSpan.FromSeconds(10));
            // Long enough for a rollback that did not wait to delete and remove the cache first.
            Thread.Sleep(50);
            order.Enqueue("nad answered");
        };

        var error = await Assert.ThrowsAsync<CniException>(() => Plugin().AddAsync(Invocation("ADD", Config()), CancellationToken.None));

        Assert.Equal("pod pods/web: network cbr0 (eth0): bridge broke", error.Message);
        Assert.Equal(["nad answered", "bridge DEL"], order);
        Assert.False(File.Exists(Path.Combine(dir, "c1")));
    }

    [Fact]
    public async Task Add_PodNotFound_EmptyResultWithoutDelegates()
    {
        kube.Pods.Clear();

        var result = await Plugin().AddAsync(Invocation("ADD", Config()), CancellationToken.None);

        Assert.Empty(((Result100)result).Ips);
        Assert.DoesNotContain(executor.Calls, c => c.Invocation.Command == "ADD");
        Assert.False(File.Exists(Path.Combine(dir, "c1")));
    }

    [Theory]
    [InlineData("0.1.0")]
    [InlineData("0.2.0")]
    [InlineData("0.4.0")]
    [InlineData("1.1.0")]
    public async Task Add_PodNotFound_EmptySuccessInEveryRequestVersion(string version)
    {
        kube.Pods.Clear();
        var env = new Dictionary<string, string>
        {
            ["CNI_COMMAND"] = "ADD", ["CNI_CONTAINERID"] = "c1", ["CNI_NETNS"] = "/var/run/netns/p", ["CNI_IFNAME"] = "eth0",
            ["CNI_PATH"] = RecordingPluginExecutor.BinDir, ["CNI_ARGS"] = "K8S_POD_NAMESPACE=pods;K8S_POD_NAME=web",
        };
        using var stdout = new MemoryStream();

        var exit = await PluginDispatcher.RunAsync(env, new MemoryStream(Encoding.UTF8.GetBytes(Config().Replace("\"1.0.0\"", $"\"{version}\"", StringComparison.Ordinal))),
            stdout, TextWriter.Null, Plugin(), CancellationToken.None);

        Assert.Equal((0, $$"""{"cniVersion":"{{version}}"}"""), (exit, Encoding.UTF8.GetString(stdout.ToArray())));
        Assert.DoesNotContain(executor.Calls, c => c.Invocation.Command == "ADD");
    }

    [Fact]
    public async Task Add_UidMismatch_UpstreamErrorNoDelegates()
    {
        var error = await Assert.ThrowsAsync<CniException>(() => Plugin().AddAsync(Invocation("ADD", Config(), uid: "other"), CancellationToken.None));

        Assert.Equal(CniErrorCode.TryAgainLater, error.Code);
        Assert.Equal("expected pod UID \"other\" but got \"uid-1\" from Kube API", error.Message);
        Assert.Equal("pod pods/web was replaced by a pod of the same name (its UID read from the API server itself, not a cache); " +
            "the runtime will retry with the new one", error.Details);
        Assert.DoesNotContain(executor.Calls, c => c.Invocation.Command == "ADD");
        Assert.False(File.Exists(Path.Combine(dir, "c1")));
    }

    [Theory]
    [InlineData(StatusWriteOutcome.Refused)]
    [InlineData(StatusWriteOutcome.Conflict)]
    public async Task Add_RuntimePassesAnnotationsUidMismatch_SameErrorAsPodGetAttachmentsUndoneNoStatusNoEvent(StatusWriteOutcome refusal)
    {
        kube.UidMismatchOutcome = refusal;
        var config = Config(""","runtimeConfig":{"io.kubernetes.cri.pod-annotations":{"k8s.v1.cni.cncf.io/networks":"a"}}""");

        var error = await Assert.ThrowsAsync<CniException>(() => Plugin().AddAsync(Invocation("ADD", config, uid: "other"), CancellationToken.None));

        Assert.Equal(CniErrorCode.TryAgainLater, error.Code);
        Assert.Equal("expected pod UID \"other\" but got \"uid-1\" from Kube API", error.Message);
        Assert.Contains("every attachment was removed again", error.Details);
        Assert.Equal(["bridge ADD", "macvlan ADD", "macvlan DEL", "bridge DEL"], executor.CallSummary.Where(c => !c.EndsWith("VERSION")));
        Assert.Empty(kube.StatusWrites);
        Assert.Empty(kube.Events);
    }

    [Fact]
    public async Task Add_RuntimePassesAnnotationsOfStaticPod_StatusWrittenWithoutUid()
    {
        var config = Config(""","runtimeConfig":{"io.kubernetes.cri.pod-annotations":{"kubernetes.io/config.source":"file"}}""");

        await Plugin().AddAsync(Invocation("ADD", config, uid: "static-uid"), CancellationToken.None);

        Assert.Single(kube.StatusWrites);
        Assert.Single(kube.Events);
    }

    // Every error of resolving or planning a pod's networks names the pod, once: the annotation's parser, the
    // planner (interface names, capabilities, default routes) and the resolver (a missing NAD).
    [Theory]
    [InlineData("a/b/c", "invalid k8s.v1.cni.cncf.io/networks annotation: item \"a/b/c\"")]
    [InlineData("a@eth0", "interface name \"eth0\" is used by both")]
    [InlineData("""[{"name":"a","ips":["10.1.1.1/24"]}]""", "network pods/a: the pod asks for \"ips\"")]
    [InlineData("""[{"name":"a","default-route":["10.1.1.1"]},{"name":"a","interface":"x","default-route":["10.1.1.2"]}]""", "ECMP")]
    [InlineData("nope", "nope")]
    public async Task Add_PodNetworksCannotBePlanned_ErrorNamesThePodOnce(string networks, string expected)
    {
        kube.Pods[new PodRef("pods", "web")] = kube.Pods[new PodRef("pods", "web")] with
        {
            Annotations = new Dictionary<string, string> { ["k8s.v1.cni.cncf.io/networks"] = networks },
        };

        var error = await Assert.ThrowsAsync<CniException>(() => Plugin().AddAsync(Invocation("ADD", Config()), CancellationToken.None));

        Assert.StartsWith("pod pods/web: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(error.Message, "pods/web"));
    }

    [Fact]
    public async Task Add_UidMismatchOnStaticPod_Allowed()
    {
        var pod = kube.Pods[new PodRef("pods", "web")];
        kube.Pods[pod.Ref] = pod with { Annotations = new Dictionary<string, string> { ["kubernetes.io/config.source"] = "file" } };

        await Plugin().AddAsync(Invocation("ADD", Config(), uid: "mirror"), CancellationToken.None);

        Assert.Contains("bridge ADD", executor.CallSummary);
    }

    [Fact]
    public async Task Add_StatusConflict_Retried()
    {
        kube.NextStatusOutcomes.Enqueue(StatusWriteOutcome.Conflict);
        kube.NextStatusOutcomes.Enqueue(StatusWriteOutcome.Conflict);

        await Plugin().AddAsync(Invocation("ADD", Config()), CancellationToken.None);

        Assert.Equal(3, kube.StatusWrites.Count);
        Assert.Single(kube.Events);
    }

    [Fact]
    public async Task Add_ResultCacheWrittenInBackgroundFails_EveryAttachmentRolledBackNoStatus()
    {
        // The cluster network's cache is written behind the next delegate; a directory in its place makes that write fail.
        Directory.CreateDirectory(Path.Combine(dir, "results", "cbr0-c1-eth0"));

        var error = await Assert.ThrowsAsync<CniException>(() => Plugin().AddAsync(Invocation("ADD", Config()), CancellationToken.None));

        Assert.Equal(CniErrorCode.IoFailure, error.Code);
        Assert.Contains("pod pods/web: caching the results: cannot write the result cache of network \"cbr0\"", error.Message);
        // Rolled back in reverse; the directory standing in for cbr0's cache file cannot be read as one, so that DEL
        // stops at its cache and is reported (a disk that refuses a write would still let it run).
        Assert.Contains("could not remove cbr0", error.Details);
        Assert.Equal(["bridge ADD", "macvlan ADD", "macvlan ADD", "macvlan DEL", "macvlan DEL"], executor.CallSummary.Where(c => !c.EndsWith("VERSION")));
        Assert.DoesNotContain(kube.Requests, r => r.StartsWith("patch", StringComparison.Ordinal) || r.StartsWith("create event", StringComparison.Ordinal));
        Assert.Equal(["cbr0-c1-eth0"], Directory.GetFileSystemEntries(Path.Combine(dir, "results")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Add_NoKubernetes_StaticDelegatesOnly()
    {
        await Plugin(kubernetes: false).AddAsync(Invocation("ADD", Config()), CancellationToken.None);

        Assert.Empty(kube.Requests);
        Assert.Equal(["bridge ADD"], executor.CallSummary.Where(c => !c.EndsWith("VERSION")));
    }

    [Fact]
    public async Task Del_OneDelegateFailsWithRetryDeleteOnError_TriesAllKeepsOnlyFailedThenRetrySucceeds()
    {
        var config = Config(""","retryDeleteOnError":true""");
        await Plugin().AddAsync(Invocation("ADD", config), CancellationToken.None);
        executor.Fail("macvlan", "DEL", CniException.Io("macvlan broke"));

        var error = await Assert.ThrowsAsync<CniException>(() => Plugin(kubernetes: false).DelAsync(Invocation("DEL", config), CancellationToken.None));

        Assert.Contains("network pods/a (second)", error.Message);
        Assert.Contains("network pods/a (net1)", error.Message);
        Assert.Equal(["macvlan DEL", "macvlan DEL", "bridge DEL"], executor.CallSummary.Where(c => c.EndsWith("DEL")));
        var remaining = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "c1")))!["attachments"]!.AsArray();
        Assert.Equal(["net1", "second"], remaining.Select(a => (string)a!["ifName"]!));

        executor.Answer("macvlan", "DEL", "");
        await Plugin(kubernetes: false).DelAsync(Invocation("DEL", config), CancellationToken.None);

        Assert.False(File.Exists(Path.Combine(dir, "c1")));
    }

    [Fact]
    public async Task AttachmentObserver_AddCheckAndAFailedAddRolledBack_ToldOncePerAttachmentByNetworkEvenWhenItFailed()
    {
        var observer = new RecordingAttachmentObserver();
        await Plugin(observer: observer).AddAsync(Invocation("ADD", Config()), CancellationToken.None);
        await Plugin(observer: observer).CheckAsync(Invocation("CHECK", Config()), CancellationToken.None);
        executor.Fail("macvlan", "ADD", CniException.Io("macvlan broke"));
        await Assert.ThrowsAsync<CniException>(() => Plugin(observer: observer).AddAsync(Invocation("ADD", Config()), CancellationToken.None));

        Assert.Equal(
        [
            "ADD cbr0", "ADD pods/a", "ADD pods/a",
            "CHECK cbr0", "CHECK pods/a", "CHECK pods/a",
            "ADD cbr0", "ADD pods/a", "DEL pods/a", "DEL cbr0",
        ], observer.Calls);
    }

    private sealed class RecordingAttachmentObserver : IAttachmentObserver
    {
        public List<string> Calls { get; } = [];

        public void Completed(string verb, string network, TimeSpan elapsed) => Calls.Add($"{verb} {network}");
    }

    [Fact]
    public async Task Del_NothingCached_SucceedsWithoutDelegates()
    {
        await Plugin().DelAsync(Invocation("DEL", Config()), CancellationToken.None);

        Assert.DoesNotContain(executor.Calls, c => c.Invocation.Command == "DEL");
        Assert.Empty(kube.Requests);
    }

    [Fact]
    public async Task Check_Unknown_ContainerUnknown()
    {
        var error = await Assert.ThrowsAsync<CniException>(() => Plugin().CheckAsync(Invocation("CHECK", Config()), CancellationToken.None));

        Assert.Equal(CniErrorCode.ContainerUnknown, error.Code);
    }

    [Fact]
    public async Task Gc_ForwardsValidAttachmentsToV110DelegatesOnly()
    {
        await Plugin().AddAsync(Invocation("ADD", Config()), CancellationToken.None);
        var gcConfig = Config(""","cniVersion":"1.1.0","cni.dev/valid-attachments":[{"containerID":"c1","ifname":"eth0"}]""").Replace("\"cniVersion\":\"1.0.0\",\"name\":\"plexus-net\"", "\"name\":\"plexus-net\"");
        var cbr = """{"cniVersion":"1.1.0","name":"cbr0","type":"bridge"}""";

        await Plugin().GcAsync(CniInvocation.Create(new Dictionary<string, string> { ["CNI_COMMAND"] = "GC", ["CNI_PATH"] = "/nonexistent" }, Encoding.UTF8.GetBytes(gcConfig.Replace("""{"cniVersion":"1.0.0","name":"cbr0","type":"bridge"}""", cbr))), CancellationToken.None);

        var gc = Assert.Single(executor.Calls, c => c.Invocation.Command == "GC");
        Assert.Equal("bridge", gc.Type);
        Assert.Equal("""[{"containerID":"c1","ifname":"eth0"}]""", gc.Config!["cni.dev/valid-attachments"]!.ToJsonString());
        Assert.True(File.Exists(Path.Combine(dir, "c1")));
    }

    [Fact]
    public async Task Gc_ContainerNoLongerValid_CacheDropped()
    {
        await Plugin().AddAsync(Invocation("ADD", Config()), CancellationToken.None);
        var gcConfig = Config(""","cni.dev/valid-attachments":[]""");

        await Plugin().GcAsync(CniInvocation.Create(new Dictionary<string, string> { ["CNI_COMMAND"] = "GC", ["CNI_PATH"] = "/nonexistent" }, Encoding.UTF8.GetBytes(gcConfig.Replace("\"cniVersion\":\"1.0.0\",\"name\":\"plexus-net\"", "\"cniVersion\":\"1.1.0\",\"name\":\"plexus-net\""))), CancellationToken.None);

        Assert.False(File.Exists(Path.Combine(dir, "c1")));
    }
}
