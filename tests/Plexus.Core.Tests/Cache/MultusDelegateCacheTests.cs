using System.Text;
using System.Text.Json.Nodes;
using Plexus.Core.Cache;
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
}
