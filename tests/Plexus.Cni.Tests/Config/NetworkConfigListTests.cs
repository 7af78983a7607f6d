using System.Text;
using Plexus.Cni.Config;

namespace Plexus.Cni.Tests.Config;

public sealed class NetworkConfigListTests
{
    private static NetworkConfigList Parse(string json) => NetworkConfigList.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Parse_ValidList_ReadsKeysAndKeepsPluginsOpaque()
    {
        var list = Parse("""
            {"cniVersion":"1.0.0","name":"chain","disableCheck":true,"plugins":[
              {"type":"bridge","bridge":"cni0","ipam":{"type":"host-local"}},
              {"type":"portmap","capabilities":{"portMappings":true},"snat":true}]}
            """);

        Assert.Equal("chain", list.Name);
        Assert.Equal(CniVersion.V100, list.CniVersion);
        Assert.True(list.DisableCheck);
        Assert.False(list.DisableGC);
        Assert.Equal(2, list.Plugins.Count);
        Assert.Equal("portmap", list.PluginType(1));
        Assert.True(list.PluginCapabilities(1)["portMappings"]);
        Assert.Equal("""{"type":"bridge","bridge":"cni0","ipam":{"type":"host-local"}}""", list.Plugins[0].ToJsonString());
    }

    [Fact]
    public void Parse_UnknownKeys_SurviveRoundTripUnchanged()
    {
        const string text = """{"cniVersion":"0.4.0","name":"c","custom":{"k":[1,2.50,"x"]},"plugins":[{"type":"ptp","mtu":1400,"future":null}]}""";

        Assert.Equal(text, Encoding.UTF8.GetString(Parse(text).ToBytes()));
    }

    [Theory]
    [InlineData("""["0.4.0","1.1.0"]""", "1.0.0", "1.1.0")]
    [InlineData("""["0.3.1","0.4.0"]""", "1.0.0", "1.0.0")]
    [InlineData("""["1.0.0","9.0.0"]""", "0.4.0", "1.0.0")]
    [InlineData("""["9.0.0"]""", "", "0.1.0")]
    [InlineData("""[]""", "0.3.1", "0.3.1")]
    public void Parse_CniVersions_PicksHighestNotNewerThanLatest(string versions, string cniVersion, string expected)
    {
        var list = Parse("{\"cniVersion\":\"" + cniVersion + "\",\"cniVersions\":" + versions + ",\"name\":\"c\",\"plugins\":[{\"type\":\"ptp\"}]}");

        Assert.Equal(CniVersion.Parse(expected), list.CniVersion);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData("\"true\"", true)]
    [InlineData("\"FALSE\"", false)]
    public void Parse_DisableFlags_AcceptBoolOrBoolString(string value, bool expected)
    {
        var list = Parse("{\"name\":\"c\",\"disableCheck\":" + value + ",\"disableGC\":" + value + ",\"plugins\":[{\"type\":\"ptp\"}]}");

        Assert.Equal(expected, list.DisableCheck);
        Assert.Equal(expected, list.DisableGC);
    }

    [Theory]
    [InlineData("""{"plugins":[{"type":"ptp"}]}""", "name")]
    [InlineData("""{"name":"c"}""", "plugins")]
    [InlineData("""{"name":"c","plugins":[]}""", "plugins")]
    [InlineData("""{"name":"c","plugins":{"type":"ptp"}}""", "plugins")]
    [InlineData("""{"name":"c","plugins":[{"type":"ptp"},{"mtu":1}]}""", "plugins[1]")]
    [InlineData("""{"name":"c","plugins":["ptp"]}""", "plugins[0]")]
    [InlineData("""{"name":"c","disableCheck":"maybe","plugins":[{"type":"ptp"}]}""", "disableCheck")]
    [InlineData("""{"name":"c","disableGC":1,"plugins":[{"type":"ptp"}]}""", "disableGC")]
    [InlineData("""{"name":"c","cniVersions":"1.0.0","plugins":[{"type":"ptp"}]}""", "cniVersions")]
    [InlineData("""{"name":"c","cniVersions":[1],"plugins":[{"type":"ptp"}]}""", "cniVersions[0]")]
    [InlineData("""{"name":"c d","plugins":[{"type":"ptp"}]}""", "c d")]
    public void Parse_Invalid_ThrowsInvalidConfigNamingTheKey(string text, string named)
    {
        var error = Assert.Throws<CniException>(() => Parse(text));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains(named, error.Message);
    }

    [Theory]
    [InlineData("{\"name\":\"c\",\"plugins\":[")]
    [InlineData("plugins")]
    public void Parse_Garbage_ThrowsDecode(string text)
    {
        Assert.Equal(CniErrorCode.DecodeFailure, Assert.Throws<CniException>(() => Parse(text)).Code);
    }

    [Theory]
    [InlineData("one")]
    [InlineData("1.01.0")]
    [InlineData("01.0.0")]
    public void Parse_BadCniVersionsEntry_ThrowsIncompatibleVersion(string entry)
    {
        var error = Assert.Throws<CniException>(() => Parse("{\"name\":\"c\",\"cniVersions\":[\"" + entry + "\"],\"plugins\":[{\"type\":\"ptp\"}]}"));

        Assert.Equal(CniErrorCode.IncompatibleVersion, error.Code);
        Assert.Contains(entry, error.Message);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("false")]
    [InlineData("[]")]
    public void Parse_CniVersionNotAString_ThrowsDecode(string json)
    {
        var error = Assert.Throws<CniException>(() => Parse("{\"name\":\"c\",\"cniVersion\":" + json + ",\"plugins\":[{\"type\":\"ptp\"}]}"));

        Assert.Equal(CniErrorCode.DecodeFailure, error.Code);
        Assert.Contains("cniVersion", error.Message);
    }

    [Theory]
    [InlineData("1.01.0")]
    [InlineData("1.0")]
    public void Parse_NonCanonicalCniVersion_ThrowsIncompatibleVersion(string version)
    {
        var error = Assert.Throws<CniException>(() => Parse("{\"name\":\"c\",\"cniVersion\":\"" + version + "\",\"plugins\":[{\"type\":\"ptp\"}]}"));

        Assert.Equal(CniErrorCode.IncompatibleVersion, error.Code);
        Assert.Contains(version, error.Message);
    }

    [Fact]
    public void FromConf_SingleConf_WrapsLikeLibcni()
    {
        var conf = NetworkConfig.Parse("""{"cniVersion":"0.3.1","name":"n","type":"bridge","x":{"y":1}}"""u8);

        var list = NetworkConfigList.FromConf(conf);

        Assert.Equal(
            """{"name":"n","cniVersion":"0.3.1","plugins":[{"cniVersion":"0.3.1","name":"n","type":"bridge","x":{"y":1}}]}""",
            list.Raw.ToJsonString());
        Assert.Equal(CniVersion.V031, list.CniVersion);
        Assert.Equal("bridge", list.PluginType(0));
    }

    [Fact]
    public void FromConf_ConfWithoutVersion_WrapsWithEmptyVersion()
    {
        var list = NetworkConfigList.FromConf(NetworkConfig.Parse("""{"name":"n","type":"bridge"}"""u8));

        Assert.Equal("", list.Raw["cniVersion"]!.GetValue<string>());
        Assert.Equal(CniVersion.V010, list.CniVersion);
    }

    [Theory]
    [InlineData("""{"name":"n","type":"bridge"}""", "bridge")]
    [InlineData("""{"name":"n","plugins":[{"type":"ptp"}]}""", "ptp")]
    public void ParseConfOrList_EitherShape_GivesList(string text, string type)
    {
        Assert.Equal(type, NetworkConfigList.ParseConfOrList(Encoding.UTF8.GetBytes(text)).PluginType(0));
    }

    [Fact]
    public void ParseConfOrList_ConfWithoutType_ThrowsInvalidConfig()
    {
        var error = Assert.Throws<CniException>(() => NetworkConfigList.ParseConfOrList("""{"name":"n"}"""u8));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains("type", error.Message);
    }
}
