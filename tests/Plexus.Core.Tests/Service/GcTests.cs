using System.Text;
using System.Text.Json.Nodes;
using Plexus.Cni;
using Plexus.Testing;

namespace Plexus.Core.Tests.Service;

/// <summary>GC: which cached attachments are deleted, what a malformed valid-attachments list does, and what a failed GC leaves for the next one.</summary>
public sealed class GcTests : IDisposable
{
    private readonly MetaPluginRig rig = new();

    public GcTests()
    {
        rig.Annotate("a");
        AddNad("1.0.0");
    }

    public void Dispose() => rig.Dispose();

    private void AddNad(string version) => rig.Kube.AddNad("pods", "a", $$"""{"cniVersion":"{{version}}","type":"macvlan"}""");

    private Task AddAsync(string containerId = "c1") =>
        rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", rig.Config(), containerId), CancellationToken.None);

    private Task GcAsync(string extra) => rig.Plugin(kubernetes: false).GcAsync(MetaPluginRig.NodeInvocation("GC", rig.Config(extra)), CancellationToken.None);

    private string[] ResultCaches() => [.. Directory.EnumerateFiles(Path.Combine(rig.Dir, "results")).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    // A link to itself: even root cannot read it (permissions would not stop root).
    private static void MakeUnreadable(string path)
    {
        File.Delete(path);
        File.CreateSymbolicLink(path, path);
    }

    private IEnumerable<string> Deletions() => rig.Runs("DEL").Select(c => $"{c.Type} {c.Invocation.ContainerId}");

    [Fact]
    public async Task Gc_EmptyValidAttachments_StaleAttachmentsDeletedCacheDropped()
    {
        await AddAsync();

        await GcAsync(""","cni.dev/valid-attachments":[]""");

        Assert.Equal(["bridge c1", "macvlan c1"], Deletions().Order(StringComparer.Ordinal));
        Assert.False(File.Exists(rig.CacheFile));
        Assert.Empty(ResultCaches());
    }

    [Fact]
    public async Task Gc_LegacyAttachmentsKeyOnly_ListedContainerKept()
    {
        await AddAsync();

        await GcAsync(""","cni.dev/attachments":[{"containerID":"c1","ifname":"eth0"}]""");

        Assert.Empty(Deletions());
        Assert.True(File.Exists(rig.CacheFile));
    }

    [Theory]
    [InlineData(""","cni.dev/valid-attachments":{"containerID":"c1","ifname":"eth0"}""", "cni.dev/valid-attachments", "it is a JSON object, not an array")]
    [InlineData(""","cni.dev/valid-attachments":null""", "cni.dev/valid-attachments", "it is null, not an array")]
    [InlineData(""","cni.dev/valid-attachments":"c1" """, "cni.dev/valid-attachments", "it is a JSON string, not an array")]
    [InlineData(""","cni.dev/valid-attachments":["c1"]""", "cni.dev/valid-attachments", "element 0 is a JSON string, not an object")]
    [InlineData(""","cni.dev/valid-attachments":[{"containerID":"c1","ifname":"eth0"},{"containerID":7,"ifname":"eth0"}]""", "cni.dev/valid-attachments", "element 1 has no string \"containerID\"")]
    [InlineData(""","cni.dev/valid-attachments":[{"containerID":"c1"}]""", "cni.dev/valid-attachments", "element 0 (container c1) has no string \"ifname\"")]
    [InlineData(""","cni.dev/attachments":{"containerID":"c1","ifname":"eth0"}""", "cni.dev/attachments", "it is a JSON object, not an array")]
    [InlineData(""","cni.dev/valid-attachments":[],"cni.dev/attachments":[{"ifname":"eth0"}]""", "cni.dev/attachments", "element 0 has no string \"containerID\"")]
    public async Task Gc_MalformedValidAttachments_DecodeFailureNothingDeleted(string extra, string key, string problem)
    {
        await AddAsync();

        var error = await Assert.ThrowsAsync<CniException>(() => GcAsync(extra));

        Assert.Equal(CniErrorCode.DecodeFailure, error.Code);
        Assert.Contains($"\"{key}\" is malformed: {problem}", error.Message);
        Assert.Contains("nothing was deleted", error.Message);
        Assert.DoesNotContain(rig.Executor.Calls, c => c.Invocation.Command is "DEL" or "GC");
        Assert.True(File.Exists(rig.CacheFile));
        Assert.Equal(["a-c1-net1", "cbr0-c1-eth0"], ResultCaches());
    }

    [Fact]
    public async Task Gc_NoValidAttachmentsKey_InvalidConfigNothingDeleted()
    {
        await AddAsync();

        var error = await Assert.ThrowsAsync<CniException>(() => GcAsync(""));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains("GC needs \"cni.dev/valid-attachments\"", error.Message);
        Assert.Contains("nothing was deleted", error.Message);
        Assert.DoesNotContain(rig.Executor.Calls, c => c.Invocation.Command is "DEL" or "GC");
        Assert.True(File.Exists(rig.CacheFile));
    }

    [Theory]
    [InlineData("DEL", "1.0.0")]
    [InlineData("GC", "1.1.0")]
    public async Task Gc_DelegateSaysTryAgainLater_CodeKeptCacheKeptThenNextGcRetries(string failing, string nadVersion)
    {
        AddNad(nadVersion);
        await AddAsync("c1");
        rig.Kube.Pods[MetaPluginRig.Pod] = rig.Kube.Pods[MetaPluginRig.Pod] with { Annotations = new Dictionary<string, string>() };
        await AddAsync("c2");
        rig.Executor.Fail("macvlan", failing, new CniException(CniErrorCode.TryAgainLater, "macvlan busy"));

        var error = await Assert.ThrowsAsync<CniException>(() => GcAsync(""","cni.dev/valid-attachments":[]"""));

        Assert.Equal(CniErrorCode.TryAgainLater, error.Code);
        Assert.Contains("network a: ", error.Message);
        Assert.Contains("macvlan busy", error.Message);
        Assert.DoesNotContain("network cbr0", error.Message);
        Assert.Contains("1 stale container(s)", error.Details);
        Assert.True(File.Exists(rig.CacheFile));
        Assert.False(File.Exists(Path.Combine(rig.Dir, "c2")));

        rig.Executor.Answer("macvlan", failing, "");
        await GcAsync(""","cni.dev/valid-attachments":[]""");

        Assert.False(File.Exists(rig.CacheFile));
        Assert.Equal(2, rig.Runs(failing).Count(c => c.Type == "macvlan"));
        Assert.Empty(ResultCaches());
    }

    [Fact]
    public async Task Gc_NetworksFailWithDifferentCodes_FirstCodeEveryNetworkNamed()
    {
        await AddAsync();
        rig.Executor.Fail("bridge", "DEL", CniException.Io("bridge broke"));
        rig.Executor.Fail("macvlan", "DEL", new CniException(CniErrorCode.TryAgainLater, "macvlan busy"));

        var error = await Assert.ThrowsAsync<CniException>(() => GcAsync(""","cni.dev/valid-attachments":[]"""));

        // Networks are visited in cache order: the cluster network cbr0 first.
        Assert.Equal(CniErrorCode.IoFailure, error.Code);
        Assert.Contains("network cbr0: ", error.Message);
        Assert.Contains("network a: ", error.Message);
        Assert.True(File.Exists(rig.CacheFile));
    }

    [Theory]
    [InlineData("corrupt", "is not a readable delegate cache")]
    [InlineData("another container's", "is not a plexus delegate cache for container c1")]
    [InlineData("missing", "has no delegate cache in")]
    public async Task Gc_ValidContainerCacheUnusable_ItsAttachmentsKeptAndListedFileNamedInLog(string damage, string problem)
    {
        AddNad("1.1.0");
        await AddAsync();
        await AddAsync("c2");
        switch (damage)
        {
            case "corrupt":
                File.WriteAllText(rig.CacheFile, "{garbage");
                break;
            case "missing":
                File.Delete(rig.CacheFile);
                break;
            default:
                File.Copy(Path.Combine(rig.Dir, "c2"), rig.CacheFile, overwrite: true);
                break;
        }

        await GcAsync(""","logLevel":"error","cni.dev/valid-attachments":[{"containerID":"c1","ifname":"eth0"},{"containerID":"c2","ifname":"eth0"}]""");

        Assert.Empty(Deletions());
        Assert.Equal(["a-c1-net1", "a-c2-net1", "cbr0-c1-eth0", "cbr0-c2-eth0"], ResultCaches());
        var gc = Assert.Single(rig.Runs("GC"));
        Assert.Equal("""[{"containerID":"c1","ifname":"net1"},{"containerID":"c2","ifname":"net1"}]""", gc.Config!["cni.dev/valid-attachments"]!.ToJsonString());
        var log = rig.Log.ToString();
        Assert.Contains("container c1", log);
        Assert.Contains(problem, log);
        Assert.Contains(damage == "missing" ? rig.Dir : rig.CacheFile, log);
        Assert.Equal(damage != "missing", File.Exists(rig.CacheFile));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Gc_ValidContainerInNoCache_GcNotSentToPluginsStaleStillDeleted(bool networkKnownOnlyFromResultCache)
    {
        AddNad("1.1.0");
        await AddAsync("c1");
        await AddAsync("c2");
        // c1 runs, but cniDir lost every trace of it: its delegate cache and its result cache entries.
        File.Delete(rig.CacheFile);
        foreach (var entry in Directory.EnumerateFiles(Path.Combine(rig.Dir, "results"), "*-c1-*"))
        {
            File.Delete(entry);
        }
        if (networkKnownOnlyFromResultCache)
        {
            File.Delete(Path.Combine(rig.Dir, "c2"));
        }

        await GcAsync(""","logLevel":"error","cni.dev/valid-attachments":[{"containerID":"c1","ifname":"eth0"}]""");

        Assert.Empty(rig.Runs("GC"));
        Assert.Equal(["bridge c2", "macvlan c2"], Deletions().Order(StringComparer.Ordinal));
        Assert.Empty(ResultCaches());
        Assert.Contains("running container(s) c1 are in no cache, so GC is not sent to the delegate plugins", rig.Log.ToString());
    }

    [Fact]
    public async Task Gc_ValidContainerCacheUnusable_OtherStaleContainerStillDeleted()
    {
        await AddAsync("c1");
        await AddAsync("c2");
        File.WriteAllText(rig.CacheFile, "{garbage");

        await GcAsync(""","cni.dev/valid-attachments":[{"containerID":"c1","ifname":"eth0"}]""");

        Assert.Equal(["bridge c2", "macvlan c2"], Deletions().Order(StringComparer.Ordinal));
        Assert.Equal(["a-c1-net1", "cbr0-c1-eth0"], ResultCaches());
        Assert.False(File.Exists(Path.Combine(rig.Dir, "c2")));
    }

    [Theory]
    [InlineData("{garbage", "is not a readable delegate cache")]
    [InlineData("""[{"Name":"cbr0","Bytes":"%%"}]""", "is not a readable Multus delegate cache")]
    public async Task Gc_StaleContainerCacheCorrupt_DeletedFromItsResultCachesAndTheFileRemovedOnce(string content, string problem)
    {
        await AddAsync();
        File.WriteAllText(rig.CacheFile, content);

        await GcAsync(""","logLevel":"error","cni.dev/valid-attachments":[]""");

        // Network a is named by no readable delegate cache: only c1's result cache knows it.
        Assert.Equal(["bridge c1", "macvlan c1"], Deletions().Order(StringComparer.Ordinal));
        Assert.Empty(ResultCaches());
        Assert.False(File.Exists(rig.CacheFile));
        Assert.Contains($"{rig.CacheFile} {problem}", rig.Log.ToString());
        Assert.Contains("deleting from the result caches instead", rig.Log.ToString());
        rig.Log.GetStringBuilder().Clear();

        await GcAsync(""","logLevel":"error","cni.dev/valid-attachments":[]""");

        Assert.Equal(2, Deletions().Count());
        Assert.Equal("", rig.Log.ToString());
    }

    [Fact]
    public async Task Gc_StaleContainerCacheCorruptItsNetworkFails_FileKeptUntilAGcOfThatNetworkSucceeds()
    {
        await AddAsync();
        File.WriteAllText(rig.CacheFile, "{garbage");
        rig.Executor.Fail("macvlan", "DEL", new CniException(CniErrorCode.TryAgainLater, "macvlan busy"));

        var error = await Assert.ThrowsAsync<CniException>(() => GcAsync(""","cni.dev/valid-attachments":[]"""));

        Assert.Equal(CniErrorCode.TryAgainLater, error.Code);
        Assert.Contains("network a: ", error.Message);
        Assert.Contains("1 stale container(s)", error.Details);
        Assert.True(File.Exists(rig.CacheFile));
        Assert.Equal(["a-c1-net1"], ResultCaches());

        rig.Executor.Answer("macvlan", "DEL", "");
        await GcAsync(""","cni.dev/valid-attachments":[]""");

        Assert.False(File.Exists(rig.CacheFile));
        Assert.Empty(ResultCaches());
    }

    [Fact]
    public async Task Gc_StaleContainerCacheUnreadable_IoErrorNamingTheFileAfterEverythingElseIsCollected()
    {
        await AddAsync("c1");
        await AddAsync("c2");
        MakeUnreadable(rig.CacheFile);

        var error = await Assert.ThrowsAsync<CniException>(() => GcAsync(""","cni.dev/valid-attachments":[]"""));

        Assert.Equal(CniErrorCode.IoFailure, error.Code);
        Assert.StartsWith($"GC failed for stale container c1: the delegate cache {rig.CacheFile} could not be read: ", error.Message);
        Assert.Contains("kept", error.Details);
        Assert.Contains("make it readable", error.Details);
        Assert.Equal(["bridge c1", "bridge c2", "macvlan c1", "macvlan c2"], Deletions().Order(StringComparer.Ordinal));
        Assert.Empty(ResultCaches());
        Assert.False(File.Exists(Path.Combine(rig.Dir, "c2")));
        Assert.NotNull(new FileInfo(rig.CacheFile).LinkTarget);
    }

    [Fact]
    public async Task Gc_StaleContainerCacheUnreadableAndANetworkFails_NetworksCodeAndBothNamed()
    {
        await AddAsync("c1");
        await AddAsync("c2");
        MakeUnreadable(rig.CacheFile);
        rig.Executor.Fail("macvlan", "DEL", new CniException(CniErrorCode.TryAgainLater, "macvlan busy"));

        var error = await Assert.ThrowsAsync<CniException>(() => GcAsync(""","cni.dev/valid-attachments":[]"""));

        Assert.Equal(CniErrorCode.TryAgainLater, error.Code);
        Assert.StartsWith("GC failed for network a: ", error.Message);
        Assert.Contains($"; stale container c1: the delegate cache {rig.CacheFile} could not be read: ", error.Message);
        Assert.Contains("the delegate caches of 1 stale container(s) on the failed network(s) were kept", error.Details);
        Assert.Contains("make it readable", error.Details);
        Assert.True(File.Exists(Path.Combine(rig.Dir, "c2")));
    }

    [Fact]
    public async Task Gc_ValidContainerCacheUnreadable_KeptAndNoError()
    {
        await AddAsync("c1");
        MakeUnreadable(rig.CacheFile);

        await GcAsync(""","logLevel":"error","cni.dev/valid-attachments":[{"containerID":"c1","ifname":"eth0"}]""");

        Assert.Empty(Deletions());
        Assert.Equal(["a-c1-net1", "cbr0-c1-eth0"], ResultCaches());
        Assert.Contains($"the delegate cache {rig.CacheFile} could not be read", rig.Log.ToString());
    }

    [Fact]
    public async Task Gc_ValidContainerExtraResultCache_KeptWhateverItsInterface()
    {
        await AddAsync();
        var results = Path.Combine(rig.Dir, "results");
        File.WriteAllText(Path.Combine(results, "a-c1-net7"), File.ReadAllText(Path.Combine(results, "a-c1-net1")).Replace("\"ifName\":\"net1\"", "\"ifName\":\"net7\"", StringComparison.Ordinal));

        await GcAsync(""","cni.dev/valid-attachments":[{"containerID":"c1","ifname":"eth0"}]""");

        Assert.Empty(Deletions());
        Assert.Equal(["a-c1-net1", "a-c1-net7", "cbr0-c1-eth0"], ResultCaches());
    }

    /// <summary>Two tenants' NADs without a name in spec.config: name injection gives both the config name "shared".</summary>
    private void AddSharedNameNads(string version)
    {
        rig.Executor.WithPlugin("ipvlan");
        rig.Kube.AddNad("pods", "a", $$"""{"cniVersion":"{{version}}","name":"shared","type":"macvlan"}""");
        rig.Kube.AddNad("pods", "b", $$"""{"cniVersion":"{{version}}","name":"shared","type":"ipvlan"}""");
        rig.Annotate("a,b");
    }

    [Fact]
    public async Task Gc_StaleAttachmentsOfNetworksSharingAName_EachDeletedWithItsOwnConfig()
    {
        AddSharedNameNads("1.0.0");
        await AddAsync();

        await GcAsync(""","cni.dev/valid-attachments":[]""");

        Assert.Equal(["bridge c1 eth0", "ipvlan c1 net2", "macvlan c1 net1"],
            rig.Runs("DEL").Select(c => $"{c.Type} {c.Invocation.ContainerId} {c.Invocation.IfName}").Order(StringComparer.Ordinal));
        Assert.Empty(ResultCaches());
        Assert.False(File.Exists(rig.CacheFile));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Gc_NetworksSharingAName_StaleDeletedWithItsOwnConfigAndGcSentToEachWithTheValidAttachmentsOfBoth(bool knownOnlyFromResultCaches)
    {
        AddSharedNameNads("1.1.0");
        await AddAsync("c1");
        await AddAsync("c2");
        if (knownOnlyFromResultCaches)
        {
            // c1 runs without a delegate cache (a changed cniDir); c2's went (its DEL ran while a delegate failed).
            File.Delete(rig.CacheFile);
            File.Delete(Path.Combine(rig.Dir, "c2"));
        }

        await GcAsync(""","cni.dev/valid-attachments":[{"containerID":"c1","ifname":"eth0"}]""");

        Assert.Equal(["bridge c2 eth0", "ipvlan c2 net2", "macvlan c2 net1"],
            rig.Runs("DEL").Select(c => $"{c.Type} {c.Invocation.ContainerId} {c.Invocation.IfName}").Order(StringComparer.Ordinal));
        Assert.Equal(["ipvlan shared", "macvlan shared"], rig.Runs("GC").Select(c => $"{c.Type} {c.Config!["name"]}").Order(StringComparer.Ordinal));
        Assert.All(rig.Runs("GC"), gc => Assert.Equal("""[{"containerID":"c1","ifname":"net1"},{"containerID":"c1","ifname":"net2"}]""",
            gc.Config!["cni.dev/valid-attachments"]!.ToJsonString()));
        Assert.Equal(["cbr0-c1-eth0", "shared-c1-net1", "shared-c1-net2"], ResultCaches());
    }

    [Fact]
    public async Task Gc_NadEditedAndAStaleEntryWithoutConfig_DeletedWithTheNetworksConfigNotRefusedAsAmbiguous()
    {
        AddNad("1.0.0");
        await AddAsync("c1");
        await AddAsync("c2");
        // c2's entry was written by an old libcni (no config); c3 came after the NAD was edited, so two configs are named "a".
        var entry = Path.Combine(rig.Dir, "results", "a-c2-net1");
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(entry))!.AsObject();
        json.Remove("config");
        File.WriteAllText(entry, json.ToJsonString());
        rig.Kube.AddNad("pods", "a", """{"cniVersion":"1.0.0","type":"macvlan","mode":"private"}""");
        await AddAsync("c3");

        await GcAsync(""","cni.dev/valid-attachments":[{"containerID":"c1","ifname":"eth0"},{"containerID":"c1","ifname":"net1"},""" +
            """{"containerID":"c3","ifname":"eth0"},{"containerID":"c3","ifname":"net1"}]""");

        Assert.Equal(["bridge c2", "macvlan c2"], Deletions().Order(StringComparer.Ordinal));
        Assert.DoesNotContain("a-c2-net1", ResultCaches());
    }

    private const string ValidC1 = ""","logLevel":"error","cni.dev/valid-attachments":[{"containerID":"c1","ifname":"eth0"}]""";

    /// <summary>
    /// c1's entry on net1 (written by its ADD) made into the entry of <paramref name="containerId"/> on
    /// <paramref name="network"/> holding <paramref name="config"/> (none when null); returns its file.
    /// </summary>
    private string WriteEntry(string network, string containerId, string? config, string? dir = null)
    {
        var results = Path.Combine(rig.Dir, "results");
        var entry = JsonNode.Parse(File.ReadAllText(Directory.EnumerateFiles(results, "*-c1-net1").Single()))!.AsObject();
        entry["networkName"] = network;
        entry["containerId"] = containerId;
        entry.Remove("config");
        if (config is not null)
        {
            entry["config"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(config));
        }
        var path = Path.Combine(dir ?? results, $"{network}-{containerId}-net1");
        File.WriteAllText(path, entry.ToJsonString());
        return path;
    }

    private string[] LogLinesNaming(string text) => [.. rig.Log.ToString().Split('\n').Where(line => line.Contains(text, StringComparison.Ordinal))];

    [Theory]
    [InlineData(null, "it holds no config")]
    [InlineData("{garbage", "its config cannot be used (")]
    [InlineData("""{"cniVersion":"1.0.0","name":"gone"}""", "its config cannot be used (")]
    [InlineData("""{"cniVersion":"1.0.0","name":"other","type":"macvlan"}""", "its config is network \"other\"'s")]
    public async Task Gc_StaleEntryWithoutUsableConfigOnANameNoNetworkHas_RemovedInOneLogLineThenNeverLookedAtAgain(string? config, string problem)
    {
        await AddAsync();
        var entry = WriteEntry("gone", "c9", config);

        await GcAsync(ValidC1);

        Assert.False(File.Exists(entry));
        Assert.Equal(["a-c1-net1", "cbr0-c1-eth0"], ResultCaches());
        Assert.Empty(Deletions());
        var line = Assert.Single(LogLinesNaming(entry));
        Assert.Contains("stale container c9 (net1) on network \"gone\": " + problem, line);
        Assert.Contains("its attachment could not be cleaned up (no config to run DEL with); check the node", line);
        Assert.Contains("/var/lib/cni/networks", line);
        rig.Log.GetStringBuilder().Clear();

        await GcAsync(ValidC1);

        Assert.Equal("", rig.Log.ToString());
        Assert.Empty(Deletions());
    }

    [Fact]
    public async Task Gc_EntryWithoutConfigOnANameNoNetworkHasOfAValidContainer_Kept()
    {
        await AddAsync();
        var entry = WriteEntry("gone", "c1", config: null);

        await GcAsync(ValidC1);

        Assert.True(File.Exists(entry));
        Assert.Equal(["a-c1-net1", "cbr0-c1-eth0", "gone-c1-net1"], ResultCaches());
        Assert.Empty(LogLinesNaming(entry));
    }

    [Fact]
    public async Task Gc_StaleEntryWithoutConfigOnAKnownNetworksName_DeletedWithThatNetworksConfigNotJustRemoved()
    {
        await AddAsync();
        var entry = WriteEntry("a", "c9", config: null);

        await GcAsync(ValidC1);

        Assert.Equal(["macvlan c9"], Deletions());
        Assert.False(File.Exists(entry));
        Assert.Empty(LogLinesNaming(entry));
    }

    [Fact]
    public async Task Gc_StaleEntryWithoutConfigOnANameTwoNetworksShare_KeptAndRefusedNotRemoved()
    {
        AddSharedNameNads("1.0.0");
        await AddAsync();
        var entry = WriteEntry("shared", "c9", config: null);

        var error = await Assert.ThrowsAsync<CniException>(() => GcAsync(ValidC1));

        Assert.Equal(CniErrorCode.DecodeFailure, error.Code);
        Assert.Contains("container c9 (net1) on network \"shared\" holds no usable config and 2 different networks are named \"shared\"", error.Message);
        Assert.True(File.Exists(entry));
        Assert.Empty(Deletions());
        Assert.Empty(LogLinesNaming(entry));
    }

    [SkippableFact]
    [Trait("Category", "Root")]
    public async Task Gc_UnusableStaleEntryCannotBeRemoved_IoErrorNamingItAfterEverythingElseIsCollectedAndTheNextGcRemovesIt()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root to mount a tmpfs");
        await AddAsync("c1");
        await AddAsync("c2");
        // The results dir on a file system made read-only: c2's entries go first, so only the unusable entry is left to remove there.
        var results = Path.Combine(rig.Dir, "results");
        foreach (var c2Entry in Directory.EnumerateFiles(results, "*-c2-*"))
        {
            File.Delete(c2Entry);
        }
        using var disk = Tmpfs.Mount(64);
        foreach (var file in Directory.EnumerateFiles(results))
        {
            File.Move(file, Path.Combine(disk.Path, Path.GetFileName(file)));
        }
        Directory.Delete(results);
        Directory.CreateSymbolicLink(results, disk.Path);
        var entry = Path.Combine(results, Path.GetFileName(WriteEntry("gone", "c9", config: null, dir: disk.Path)));
        disk.RemountReadOnly();

        var error = await Assert.ThrowsAsync<CniException>(() => GcAsync(ValidC1));

        Assert.Equal(CniErrorCode.IoFailure, error.Code);
        Assert.StartsWith($"GC failed for stale container c9: cannot remove the result cache of network \"gone\" at {entry}: ", error.Message);
        Assert.Contains("Read-only file system", error.Message);
        Assert.Contains("could not be removed", error.Details);
        Assert.Contains("the next GC removes it", error.Details);
        Assert.True(File.Exists(entry));
        Assert.False(File.Exists(Path.Combine(rig.Dir, "c2")));
        Assert.DoesNotContain("removed the result cache entry", rig.Log.ToString());
        rig.Log.GetStringBuilder().Clear();

        disk.RemountWritable();
        await GcAsync(ValidC1);

        Assert.False(File.Exists(entry));
        Assert.Contains("removed the result cache entry", Assert.Single(LogLinesNaming(entry)));
        Assert.Equal(["a-c1-net1", "cbr0-c1-eth0"], ResultCaches());
    }

    [Fact]
    public async Task Gc_ClusterNetworkSet_GcSentToClusterNotDelegates()
    {
        var cluster = Path.Combine(rig.Dir, "cluster.conflist");
        File.WriteAllText(cluster, """{"cniVersion":"1.1.0","name":"cluster","plugins":[{"type":"macvlan"}]}""");
        var config = rig.Config($$""","clusterNetwork":"{{cluster}}","cni.dev/valid-attachments":[]""")
            .Replace("""{"cniVersion":"1.0.0","name":"cbr0",""", """{"cniVersion":"1.1.0","name":"cbr0",""", StringComparison.Ordinal);

        await rig.Plugin(kubernetes: false).GcAsync(MetaPluginRig.NodeInvocation("GC", config), CancellationToken.None);

        var gc = Assert.Single(rig.Runs("GC"));
        Assert.Equal("macvlan", gc.Type);
        Assert.Equal("cluster", (string?)gc.Config!["name"]);
    }
}
