using System.Text;
using System.Text.Json.Nodes;
using Plexus.Core.Cache;
using Plexus.Core.Planning;
using static Plexus.Core.Tests.Cache.MultusCacheSamples;

namespace Plexus.Core.Tests.Cache;

/// <summary>Reading Multus's delegate cache, and the attachments Multus's DEL derives from it.</summary>
public sealed class MultusDelegateCacheTests : IDisposable
{
    private readonly string cniDir = Directory.CreateTempSubdirectory("plexus-multus-cache-").FullName;

    public void Dispose() => Directory.Delete(cniDir, recursive: true);

    private static readonly JsonObject RuntimeConfig = JsonNode.Parse("""
        {"portMappings":[{"hostPort":8080,"containerPort":80,"protocol":"tcp"}],"io.kubernetes.cri.pod-annotations":{"a":"b"},"bandwidth":null,"ips":[]}
        """)!.AsObject();

    private static string DeviceInfoFileOf(string network, string ifName) => $"/devinfo/cni/{network.Replace('/', '-')}-c1_{ifName}";

    private DelegateCacheLoad Load(string content)
    {
        File.WriteAllText(Path.Combine(cniDir, "c1"), content);
        return new DelegateCacheStore(cniDir).Load("c1", CancellationToken.None);
    }

    [Fact]
    public void Load_MultusWrittenCache_EveryDelegateWithItsRequests()
    {
        var load = Load(ThreeDelegates());

        Assert.Null(load.Cache);
        Assert.Null(load.Problem);
        Assert.False(load.IsMissing);
        Assert.Equal(Path.Combine(cniDir, "c1"), load.Path);
        var delegates = load.Multus!.Delegates;
        Assert.Equal(["cbr0", "pods/macvlan-conf", "pods/data-net"], delegates.Select(d => d.Name));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(MacvlanConfList), delegates[1].Conf));
        Assert.Equal(["10.1.1.5/24"], delegates[1].IpRequest!);
        Assert.Equal("02:00:00:00:00:05", delegates[1].MacRequest);
        Assert.Equal(("data0", "0000:03:00.1"), (delegates[2].IfnameRequest, delegates[2].DeviceId));
        Assert.Null(delegates[0].IfnameRequest);
    }

    [Fact]
    public void ToAttachments_AsMultusDel_ClusterOnRuntimeInterfaceOthersNetIndexOrRequested()
    {
        var attachments = Load(ThreeDelegates()).Multus!.ToAttachments("eth0", "1.0.0", RuntimeConfig, DeviceInfoFileOf);

        Assert.Equal([(0, "cbr0", "eth0"), (1, "pods/macvlan-conf", "net1"), (2, "pods/data-net", "data0")],
            attachments.Select(a => (a.Index, a.Network, a.IfName)));
        // Every attachment runs a conflist: a conf is wrapped as libcni wraps it, keeping its own version.
        Assert.Equal(["cbr0", "macvlan-conf", "data-net"], attachments.Select(a => (string)a.Conf["name"]!));
        Assert.Equal(["0.3.1", "0.4.0", "0.4.0"], attachments.Select(a => (string)a.Conf["cniVersion"]!));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(ClusterConf), attachments[0].Conf["plugins"]![0]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(MacvlanConfList), attachments[1].Conf));
    }

    [Fact]
    public void ToAttachments_CapabilityArgs_RuntimesMultusKeysToAllSelectionRequestsToNonClusterOnly()
    {
        var attachments = Load(ThreeDelegates()).Multus!.ToAttachments("eth0", "1.0.0", RuntimeConfig, DeviceInfoFileOf);

        const string ports = """
            "portMappings":[{"hostPort":8080,"containerPort":80,"protocol":"tcp"}]
            """;
        Assert.Equal($"{{{ports}}}", attachments[0].CapabilityArgs!.ToJsonString());
        Assert.Equal($$$"""{{{{ports}}},"ips":["10.1.1.5/24"],"mac":"02:00:00:00:00:05"}""", attachments[1].CapabilityArgs!.ToJsonString());
        Assert.Equal($$$"""{{{{ports}}},"deviceID":"0000:03:00.1","CNIDeviceInfoFile":"/devinfo/cni/pods-data-net-c1_data0"}""", attachments[2].CapabilityArgs!.ToJsonString());
        Assert.Equal([null, null, "/devinfo/cni/pods-data-net-c1_data0"], attachments.Select(a => a.DeviceInfoFile));
        Assert.Equal("0000:03:00.1", attachments[2].DeviceId);
    }

    [Fact]
    public void ToAttachments_NoRuntimeConfig_OnlyTheSelectionsRequests()
    {
        var attachments = Load(ThreeDelegates()).Multus!.ToAttachments("eth0", null, null, DeviceInfoFileOf);

        Assert.Null(attachments[0].CapabilityArgs);
        Assert.Equal("""{"ips":["10.1.1.5/24"],"mac":"02:00:00:00:00:05"}""", attachments[1].CapabilityArgs!.ToJsonString());
    }

    [Fact]
    public void ToAttachments_RuntimeDeviceIdOnTheClusterNetwork_NamesItsDeviceInfoFile()
    {
        var runtime = new JsonObject { ["deviceID"] = "0000:05:00.0" };

        var cluster = Load(ThreeDelegates()).Multus!.ToAttachments("eth0", null, runtime, DeviceInfoFileOf)[0];

        Assert.Equal("/devinfo/cni/cbr0-c1_eth0", cluster.DeviceInfoFile);
        Assert.Equal("/devinfo/cni/cbr0-c1_eth0", (string?)cluster.CapabilityArgs![Core.Planning.CapabilityArgsBuilder.DeviceInfoFileCapability]);
    }

    [Fact]
    public void ToAttachments_ClusterNetworkWithInterfaceRequest_RequestWinsAsInMultus()
    {
        var cache = $$"""[{"Name":"cbr0","ifnameRequest":"pod0","Bytes":"{{Base64(ClusterConf)}}"}]""";

        Assert.Equal("pod0", Assert.Single(Load(cache).Multus!.ToAttachments("eth0", null, null, DeviceInfoFileOf)).IfName);
    }

    [Fact]
    public void Load_MissingNameEmptyRequestsUnknownMembers_NameFromTheConfAndNetIndex()
    {
        // Only Bytes is needed: Multus's Go types leave out empty requests, and later versions may add members.
        var cache = $$$"""
            [{"Bytes":"{{{Base64(ClusterConf)}}}","SomeFutureMember":{"x":[1]}},
             {"Name":"","ifnameRequest":"","macRequest":"","ipRequest":null,"Bytes":"{{{Base64(MacvlanConfList)}}}"}]
            """;

        var attachments = Load(cache).Multus!.ToAttachments("eth0", null, null, DeviceInfoFileOf);

        Assert.Equal([("cbr0", "eth0"), ("macvlan-conf", "net1")], attachments.Select(a => (a.Network, a.IfName)));
        Assert.Null(attachments[1].CapabilityArgs);
    }

    [Fact]
    public void ToAttachments_ConflistWithoutCniVersion_GetsTheMetaConfigsAsMultusDelDoes()
    {
        var conflist = """{"name":"nover","plugins":[{"type":"macvlan"}]}""";
        var conf = """{"name":"noverconf","type":"bridge"}""";
        var cache = $$"""[{"Name":"noverconf","Bytes":"{{Base64(conf)}}"},{"Name":"pods/nover","Bytes":"{{Base64(conflist)}}"}]""";

        var attachments = Load(cache).Multus!.ToAttachments("eth0", "0.4.0", null, DeviceInfoFileOf);

        Assert.Null(attachments[0].Conf["cniVersion"]);
        Assert.Equal("0.4.0", (string?)attachments[1].Conf["cniVersion"]);
    }

    [Theory]
    [InlineData("[]", "must be a non-empty JSON array of delegates")]
    [InlineData("  [null]", "at $[0]: expected an object")]
    [InlineData("[1]", "at $[0]: expected an object")]
    [InlineData("[{\"Name\":\"x\"", "is not valid JSON")]
    [InlineData("[{\"Name\":\"cbr0\"}]", "at $[0]: \"Bytes\" is missing")]
    [InlineData("[{\"Bytes\":\"%%not base64%%\"}]", "at $[0].Bytes: not base64")]
    [InlineData("[{\"Bytes\":7}]", "at $[0].Bytes: expected a string, got 7")]
    [InlineData("[{\"Bytes\":\"bm90IGpzb24=\"}]", "at $[0].Bytes is not valid JSON")]
    [InlineData("[{\"Bytes\":\"WzFd\"}]", "at $[0].Bytes must be a JSON object")]
    [InlineData("[{\"Bytes\":\"e30=\",\"ifnameRequest\":5}]", "at $[0].ifnameRequest: expected a string, got 5")]
    [InlineData("[{\"Bytes\":\"e30=\",\"ipRequest\":\"10.0.0.5\"}]", "at $[0].ipRequest: expected an array of strings")]
    public void Load_MalformedMultusCache_CorruptSayingWhatIsWrong(string content, string problem)
    {
        var load = Load(content);

        Assert.Null(load.Cache);
        Assert.Null(load.Multus);
        Assert.Contains($"{Path.Combine(cniDir, "c1")} is not a readable Multus delegate cache", load.Problem);
        Assert.Contains(problem, load.Problem);
    }

    [Fact]
    public void Load_PlexusCache_NotTakenForMultus()
    {
        new DelegateCacheStore(cniDir).Save(new DelegateCache { ContainerId = "c1", Attachments = [] }, CancellationToken.None);

        var load = new DelegateCacheStore(cniDir).Load("c1", CancellationToken.None);

        Assert.NotNull(load.Cache);
        Assert.Null(load.Multus);
        Assert.False(MultusDelegateCache.IsMultusFormat(File.ReadAllBytes(Path.Combine(cniDir, "c1"))));
        Assert.True(MultusDelegateCache.IsMultusFormat(Encoding.UTF8.GetBytes("\n [")));
    }

    private static readonly string HotConfList = """{"cniVersion":"0.4.0","name":"dyn","plugins":[{"type":"macvlan","master":"up0","capabilities":{"ips":true}},{"type":"tuning","capabilities":{"mac":true}}],"args":{"cni":{"foo":"bar"}}}""";

    private static Attachment HotPlugged(string ifName, string? capabilityArgs = null) => new()
    {
        Index = 0,
        Network = "dyn",
        IfName = ifName,
        Conf = JsonNode.Parse(HotConfList)!.AsObject(),
        CapabilityArgs = capabilityArgs is null ? null : JsonNode.Parse(capabilityArgs)!.AsObject(),
    };

    /// <summary>The cache written and read back as DEL reads it.</summary>
    private MultusDelegateCache SavedAndLoaded(MultusDelegateCache cache)
    {
        var store = new DelegateCacheStore(cniDir);
        store.SaveMultus("c1", cache, CancellationToken.None);
        return store.Load("c1", CancellationToken.None).Multus!;
    }

    private JsonArray OnDisk() => JsonNode.Parse(File.ReadAllBytes(Path.Combine(cniDir, "c1")))!.AsArray();

    [Fact]
    public void SaveMultus_AsRead_EveryElementWrittenBackWithAllItsMembers()
    {
        var cache = Load(ThreeDelegates()).Multus!;

        SavedAndLoaded(cache);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(ThreeDelegates()), OnDisk()));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(cniDir, "c1")));
    }

    [Fact]
    public void WithHotPlugged_LastElementAsMultusSavesIt_DelDerivesItOnItsInterfaceWithItsIpsAndMac()
    {
        var hot = Load(ThreeDelegates()).Multus!.WithHotPlugged(HotPlugged("net3", """{"ips":["10.9.0.7/24"],"mac":"02:00:00:00:00:07"}"""));

        var attachments = SavedAndLoaded(hot).ToAttachments("eth0", "1.0.0", RuntimeConfig, DeviceInfoFileOf);

        Assert.Equal([("cbr0", "eth0"), ("pods/macvlan-conf", "net1"), ("pods/data-net", "data0"), ("dyn", "net3")], attachments.Select(a => (a.Network, a.IfName)));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(HotConfList), attachments[3].Conf));
        Assert.Equal("""{"portMappings":[{"hostPort":8080,"containerPort":80,"protocol":"tcp"}],"ips":["10.9.0.7/24"],"mac":"02:00:00:00:00:07"}""",
            attachments[3].CapabilityArgs!.ToJsonString());
        Assert.Null(attachments[3].DeviceInfoFile);
        // The elements Multus wrote are untouched; the new one has what Multus's DEL reads: ConfList's plugins make it
        // run Bytes as a conflist on the requested interface.
        var disk = OnDisk();
        var multusWrote = JsonNode.Parse(ThreeDelegates())!.AsArray();
        Assert.All(Enumerable.Range(0, 3), i => Assert.True(JsonNode.DeepEquals(multusWrote[i], disk[i])));
        var element = disk[3]!;
        Assert.Equal(["ConfList", "Name", "ifnameRequest", "ipRequest", "macRequest", "Bytes"], element.AsObject().Select(p => p.Key));
        Assert.Equal(2, element["ConfList"]!["plugins"]!.AsArray().Count);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(HotConfList), JsonNode.Parse(Convert.FromBase64String((string)element["Bytes"]!))));
    }

    [Fact]
    public void WithHotPlugged_NoIpsNorMac_NoRequestsRecorded()
    {
        var hot = Load(ThreeDelegates()).Multus!.WithHotPlugged(HotPlugged("net3"));

        var attachment = SavedAndLoaded(hot).ToAttachments("eth0", null, null, DeviceInfoFileOf)[3];

        Assert.Null(attachment.CapabilityArgs);
        Assert.Equal(["ConfList", "Name", "ifnameRequest", "Bytes"], OnDisk()[3]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void WithHotPlugged_SameNetworkOnSameInterfaceAgain_ReplacedNotRepeated()
    {
        var once = Load(ThreeDelegates()).Multus!.WithHotPlugged(HotPlugged("net3", """{"mac":"02:00:00:00:00:01"}"""));

        var twice = once.WithHotPlugged(HotPlugged("net3", """{"mac":"02:00:00:00:00:02"}"""));

        Assert.Equal(4, twice.Delegates.Count);
        Assert.Equal("02:00:00:00:00:02", twice.Delegates[3].MacRequest);
        Assert.Equal(5, twice.WithHotPlugged(HotPlugged("net4")).Delegates.Count);
    }

    [Fact]
    public void Without_TheHotPluggedOne_CacheAsMultusWroteIt()
    {
        var hot = Load(ThreeDelegates()).Multus!.WithHotPlugged(HotPlugged("net3"));

        SavedAndLoaded(hot.Without(HotPlugged("net3")));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(ThreeDelegates()), OnDisk()));
    }

    [Fact]
    public void Without_ElementBeforeOthersOnNetIndex_TheyKeepTheirInterfacesByName()
    {
        var cache = $$$"""
            [{"Name":"cbr0","Bytes":"{{{Base64(ClusterConf)}}}"},
             {"Name":"pods/macvlan-conf","Bytes":"{{{Base64(MacvlanConfList)}}}"},
             {"Name":"pods/data-net","Bytes":"{{{Base64(DataConf)}}}","deviceID":"0000:03:00.1"},
             {"Name":"pods/macvlan-conf","ifnameRequest":"mv9","Bytes":"{{{Base64(MacvlanConfList)}}}"}]
            """;
        // An unplug of the network Multus attached on net1 (the controller sends the NAD's config, named by its conf).
        var unplugged = new Attachment { Index = 0, Network = "macvlan-conf", IfName = "net1", Conf = JsonNode.Parse(MacvlanConfList)!.AsObject() };

        var rest = SavedAndLoaded(Load(cache).Multus!.Without(unplugged));

        Assert.Equal([("cbr0", "eth0"), ("pods/data-net", "net2"), ("pods/macvlan-conf", "mv9")],
            rest.ToAttachments("eth0", null, null, DeviceInfoFileOf).Select(a => (a.Network, a.IfName)));
        Assert.Equal([null, "net2", "mv9"], OnDisk().Select(e => (string?)e!["ifnameRequest"]));
        Assert.Equal("0000:03:00.1", (string?)OnDisk()[1]!["deviceID"]);
    }

    /// <summary>As <see cref="DelegateCache.Without"/>: every element naming the detached attachment goes, not just the first.</summary>
    [Fact]
    public void Without_TwoElementsOfTheUnpluggedAttachment_BothGoTheOthersKeepTheirInterfaces()
    {
        var cache = $$$"""
            [{"Name":"cbr0","Bytes":"{{{Base64(ClusterConf)}}}"},
             {"Name":"pods/macvlan-conf","Bytes":"{{{Base64(MacvlanConfList)}}}"},
             {"Name":"pods/data-net","Bytes":"{{{Base64(DataConf)}}}"},
             {"Name":"macvlan-conf","ifnameRequest":"net1","Bytes":"{{{Base64(MacvlanConfList)}}}"},
             {"Name":"pods/data-net","Bytes":"{{{Base64(DataConf)}}}"}]
            """;
        var unplugged = new Attachment { Index = 0, Network = "macvlan-conf", IfName = "net1", Conf = JsonNode.Parse(MacvlanConfList)!.AsObject() };

        var rest = SavedAndLoaded(Load(cache).Multus!.Without(unplugged));

        Assert.Equal([("cbr0", "eth0"), ("pods/data-net", "net2"), ("pods/data-net", "net4")],
            rest.ToAttachments("eth0", null, null, DeviceInfoFileOf).Select(a => (a.Network, a.IfName)));
        Assert.Equal([null, "net2", "net4"], OnDisk().Select(e => (string?)e!["ifnameRequest"]));
    }

    [Theory]
    [InlineData("cbr0", "eth0")] // the cluster network is the pod's own, never an unplug's
    [InlineData("cbr0", "net0")]
    [InlineData("macvlan-conf", "net2")] // the network, but not on that interface
    [InlineData("pods/macvlan-conf", "net1")] // a NAD's name is not the conf's
    [InlineData("dyn", "net1")]
    public void Without_NoElementOfThatNetworkOnThatInterface_SameCache(string confName, string ifName)
    {
        var cache = Load(ThreeDelegates()).Multus!;
        var attachment = new Attachment { Index = 0, Network = confName, IfName = ifName, Conf = new JsonObject { ["name"] = confName } };

        Assert.Same(cache, cache.Without(attachment));
    }
}
