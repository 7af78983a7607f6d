using System.Text;
using Plexus.Cni.Config;

namespace Plexus.Cni.Tests.Config;

public sealed class NetworkConfigTests
{
    private static NetworkConfig Parse(string json) => NetworkConfig.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Parse_ValidConf_ReadsWellKnownKeys()
    {
        var conf = Parse("""{"cniVersion":"0.4.0","name":"net-1","type":"bridge","capabilities":{"portMappings":true,"ips":false}}""");

        Assert.Equal("net-1", conf.Name);
        Assert.Equal("bridge", conf.Type);
        Assert.Equal(CniVersion.V040, conf.CniVersion);
        Assert.Equal("0.4.0", conf.CniVersionText);
        Assert.True(conf.Capabilities["portMappings"]);
        Assert.False(conf.Capabilities["ips"]);
    }

    [Fact]
    public void Parse_UnknownKeys_SurviveRoundTripUnchanged()
    {
        const string text = """{"cniVersion":"1.0.0","name":"n","type":"macvlan","master":"eth1","ipam":{"type":"host-local","ranges":[[{"subnet":"10.0.0.0/24"}]],"x":1.50},"vendor/thing":[null,true,{"<&>":"é+'"}],"big":12345678901234567890}""";

        var conf = Parse(text);

        Assert.Equal(text, Encoding.UTF8.GetString(conf.ToBytes()));
    }

    [Fact]
    public void Parse_NoCniVersion_MeansV010()
    {
        var conf = Parse("""{"name":"n","type":"bridge"}""");

        Assert.Equal(CniVersion.V010, conf.CniVersion);
        Assert.Null(conf.CniVersionText);
    }

    [Fact]
    public void Parse_WellFormedUnsupportedVersion_IsKeptForTheCallerToReject()
    {
        Assert.Equal(new CniVersion(9, 9, 9), Parse("""{"cniVersion":"9.9.9","name":"n","type":"bridge"}""").CniVersion);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("""{"name":"n","type":"bridge" """)]
    [InlineData("""{"name":"n","type":"bridge"} trailing""")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("\u0001garbage")]
    public void Parse_GarbageOrTruncated_ThrowsDecode(string text)
    {
        var error = Assert.Throws<CniException>(() => Parse(text));

        Assert.Equal(CniErrorCode.DecodeFailure, error.Code);
    }

    [Theory]
    [InlineData("""{"name":"n"}""", "type")]
    [InlineData("""{"name":"n","type":""}""", "type")]
    [InlineData("""{"name":"n","type":7}""", "type")]
    [InlineData("""{"type":"bridge"}""", "name")]
    [InlineData("""{"name":"","type":"bridge"}""", "name")]
    [InlineData("""{"name":"-bad","type":"bridge"}""", "-bad")]
    [InlineData("""{"name":"a b","type":"bridge"}""", "a b")]
    [InlineData("""{"name":"n/x","type":"bridge"}""", "n/x")]
    [InlineData("""{"name":"n","type":"bridge","capabilities":["ips"]}""", "capabilities")]
    [InlineData("""{"name":"n","type":"bridge","capabilities":{"ips":"yes"}}""", "ips")]
    public void Parse_MissingOrInvalidKey_ThrowsInvalidConfigNamingIt(string text, string named)
    {
        var error = Assert.Throws<CniException>(() => Parse(text));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains(named, error.Message);
    }

    [Theory]
    [InlineData("1.0")]
    [InlineData("latest")]
    [InlineData("1.01.0")]
    [InlineData("01.0.0")]
    [InlineData("1.0.00")]
    [InlineData("+1.0.0")]
    [InlineData("1.0.0 ")]
    [InlineData(" 1.1.0")]
    [InlineData("1.1")]
    [InlineData("1.1.0.0")]
    [InlineData("v1.1.0")]
    public void Parse_MalformedOrNonCanonicalVersion_ThrowsIncompatibleVersionListingSupported(string version)
    {
        var error = Assert.Throws<CniException>(() => Parse("{\"cniVersion\":\"" + version + "\",\"name\":\"n\",\"type\":\"bridge\"}"));

        Assert.Equal(CniErrorCode.IncompatibleVersion, error.Code);
        Assert.Contains($"\"{version}\"", error.Message);
        Assert.Contains("0.1.0, 0.2.0, 0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0", error.Details);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("1.1")]
    [InlineData("true")]
    [InlineData("[\"1.1.0\"]")]
    [InlineData("{\"v\":\"1.1.0\"}")]
    public void Parse_CniVersionNotAString_ThrowsDecodeNamingIt(string json)
    {
        var error = Assert.Throws<CniException>(() => Parse("{\"cniVersion\":" + json + ",\"name\":\"n\",\"type\":\"bridge\"}"));

        Assert.Equal(CniErrorCode.DecodeFailure, error.Code);
        Assert.Contains("cniVersion", error.Message);
    }

    [Theory]
    [MemberData(nameof(SupportedVersions))]
    public void Parse_EverySupportedVersion_KeepsItsExactText(string version)
    {
        var conf = Parse("{\"cniVersion\":\"" + version + "\",\"name\":\"n\",\"type\":\"bridge\"}");

        Assert.True(conf.CniVersion.IsSupported);
        Assert.Equal(version, conf.CniVersion.ToString());
    }

    public static TheoryData<string> SupportedVersions() => new(CniVersion.Supported.Select(v => v.ToString()));

    [Fact]
    public void FromJson_LaterEditsOfSource_DoNotLeakIn()
    {
        var source = System.Text.Json.Nodes.JsonNode.Parse("""{"name":"n","type":"bridge"}""")!.AsObject();

        var conf = NetworkConfig.FromJson(source);
        source["type"] = "macvlan";

        Assert.Equal("bridge", conf.Raw["type"]!.GetValue<string>());
    }
}
