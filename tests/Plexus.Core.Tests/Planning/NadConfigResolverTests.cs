using System.Text;
using Plexus.Cni;
using Plexus.Cni.ConfFiles;
using Plexus.Core.Planning;
using Plexus.Core.Ports;

namespace Plexus.Core.Tests.Planning;

public sealed class NadConfigResolverTests
{
    private static NetworkAttachmentDefinition Nad(string? config, string name = "macvlan-a") =>
        new() { Namespace = "pods", Name = name, Config = config };

    private static ConfFile File(string name, string json) => ConfFile.FromBytes(name, Encoding.UTF8.GetBytes(json), "/confdir");

    [Fact]
    public void FromSpec_ConfWithoutName_InjectsNadName()
    {
        var network = NadConfigResolver.FromSpec(Nad("""{"cniVersion":"1.0.0","type":"macvlan","master":"eth1","custom":[1]}"""))!;

        Assert.Equal("pods/macvlan-a", network.DisplayName);
        Assert.Equal("macvlan-a", network.Name);
        Assert.Equal("""{"cniVersion":"1.0.0","type":"macvlan","master":"eth1","custom":[1],"name":"macvlan-a"}""", Assert.Single(network.List.Plugins).ToJsonString());
    }

    [Fact]
    public void FromSpec_ConflistWithName_KeptAsIs()
    {
        var json = """{"cniVersion":"1.0.0","name":"mine","plugins":[{"type":"bridge"},{"type":"tuning","capabilities":{"mac":true}}]}""";

        var network = NadConfigResolver.FromSpec(Nad(json))!;

        Assert.Equal(json, network.Conf.ToJsonString());
        Assert.True(network.DeclaresCapability("mac"));
        Assert.False(network.DeclaresCapability("ips"));
    }

    [Fact]
    public void FromSpec_ResourceNameAnnotation_Carried()
    {
        var nad = Nad("""{"type":"sriov"}""") with
        {
            Annotations = new Dictionary<string, string> { ["k8s.v1.cni.cncf.io/resourceName"] = "intel.com/sriov" },
        };

        Assert.Equal("intel.com/sriov", NadConfigResolver.FromSpec(nad)!.ResourceName);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void FromSpec_Empty_Null(string? config)
    {
        Assert.Null(NadConfigResolver.FromSpec(Nad(config)));
    }

    [Theory]
    [InlineData("{", CniErrorCode.DecodeFailure, "not valid JSON")]
    [InlineData("[]", CniErrorCode.DecodeFailure, "not a JSON object")]
    [InlineData("""{"name":"x"}""", CniErrorCode.InvalidNetworkConfig, "type")]
    [InlineData("""{"plugins":[]}""", CniErrorCode.InvalidNetworkConfig, "non-empty list")]
    [InlineData("""{"plugins":[{"type":"bridge"},{"name":"x"}]}""", CniErrorCode.InvalidNetworkConfig, "plugins[1]")]
    [InlineData("""{"name":"a","type":"bridge","name":"b"}""", CniErrorCode.DecodeFailure, "name")] // found by the nad fuzz target
    [InlineData("""{"plugins":[{"type":"bridge","type":"macvlan"}]}""", CniErrorCode.DecodeFailure, "type")]
    public void FromSpec_Malformed_ErrorNamesNad(string config, int code, string expected)
    {
        var error = Assert.Throws<CniException>(() => NadConfigResolver.FromSpec(Nad(config)));

        Assert.Equal(code, error.Code);
        Assert.Contains("pods/macvlan-a", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void FromConfDir_ConflistPreferredOverConf()
    {
        var files = new[]
        {
            File("10-a.conf", """{"name":"net-a","type":"bridge","from":"conf"}"""),
            File("20-a.conflist", """{"name":"net-a","plugins":[{"type":"bridge","from":"conflist"}]}"""),
        };

        var network = NadConfigResolver.FromConfDir("net-a", "pods/net-a", files)!;

        Assert.Equal("conflist", (string?)network.List.Plugins[0]["from"]);
        Assert.Equal("pods/net-a", network.DisplayName);
    }

    [Fact]
    public void FromConfDir_ConfOnly_WrappedAsList()
    {
        var network = NadConfigResolver.FromConfDir("net-a", "pods/net-a",
            [File("b.conflist", """{"name":"other","plugins":[{"type":"x"}]}"""), File("a.json", """{"name":"net-a","type":"bridge"}""")])!;

        Assert.Equal("bridge", (string?)Assert.Single(network.List.Plugins)["type"]);
        Assert.Equal("net-a", network.Name);
    }

    [Fact]
    public void FromConfDir_BrokenOtherFile_Skipped()
    {
        var network = NadConfigResolver.FromConfDir("net-a", "pods/net-a",
            [File("a.conflist", "{broken"), new ConfFile { Name = "b.conf", Path = "/confdir/b.conf", Unreadable = "FIFO" },
             File("c.conf", """{"name":"net-a","type":"bridge"}""")]);

        Assert.NotNull(network);
    }

    [Fact]
    public void FromConfDir_NoMatch_Null()
    {
        Assert.Null(NadConfigResolver.FromConfDir("net-a", "pods/net-a", [File("a.conf", """{"name":"net-b","type":"bridge"}""")]));
    }

    [Fact]
    public void FirstIn_SkipsUnusable_TakesFirstGood()
    {
        var network = NadConfigResolver.FirstIn([File("00-bad.conf", "{"), File("10-cbr0.conflist", """{"name":"cbr0","plugins":[{"type":"bridge"}]}""")])!;

        Assert.Equal("cbr0", network.Name);
        Assert.Equal("cbr0", network.DisplayName);
    }

    [Fact]
    public void FromFile_Unreadable_InvalidConfigNamingPath()
    {
        var error = Assert.Throws<CniException>(() =>
            NadConfigResolver.FromFile(new ConfFile { Name = "x.conf", Path = "/etc/x.conf", Unreadable = "not a regular file (FIFO)" }));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains("/etc/x.conf", error.Message);
        Assert.Contains("FIFO", error.Message);
    }

    [Fact]
    public void FromFile_ConfWithoutName_NamedAfterFile()
    {
        var network = NadConfigResolver.FromFile(File("cbr0.conf", """{"type":"bridge"}"""));

        Assert.Equal("cbr0", network.Name);
    }
}
