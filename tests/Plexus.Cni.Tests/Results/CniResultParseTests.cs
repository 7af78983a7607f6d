using System.Text;
using System.Text.Json.Nodes;
using Plexus.Cni.Results;

namespace Plexus.Cni.Tests.Results;

public sealed class CniResultParseTests
{
    [Theory]
    [MemberData(nameof(ResultSamples.Versions), MemberType = typeof(ResultSamples))]
    public void Parse_CanonicalSample_RoundTripsByteForByte(string version)
    {
        var text = ResultSamples.For(version);

        var result = CniResult.Parse(Encoding.UTF8.GetBytes(text), CniVersion.V010);

        Assert.Equal(CniVersion.Parse(version), result.Version);
        Assert.Equal(text, Encoding.UTF8.GetString(result.ToBytes()));
    }

    [Fact]
    public void Parse_V110WithNewFields_RoundTripsByteForByte()
    {
        var text = ResultSamples.V110Full();

        var result = (Result100)CniResult.Parse(JsonNode.Parse(text), CniVersion.V010);

        Assert.Equal(9000, result.Interfaces[0].Mtu);
        Assert.Equal("0000:00:1f.6", result.Interfaces[0].PciId);
        Assert.Equal(200, result.Routes[0].Table);
        Assert.Equal(0, result.Routes[0].Scope);
        Assert.Equal(text, result.ToJson().ToJsonString());
    }

    [Theory]
    [InlineData("0.2.0", typeof(Result020))]
    [InlineData("0.3.1", typeof(Result040))]
    [InlineData("1.0.0", typeof(Result100))]
    public void Parse_NoCniVersion_TakesDefaultVersion(string defaultVersion, Type expectedType)
    {
        var node = JsonNode.Parse("""{"ip4":{"ip":"10.0.0.2/24"},"ips":[{"address":"10.0.0.2/24"}]}""");

        var result = CniResult.Parse(node, CniVersion.Parse(defaultVersion));

        Assert.IsType(expectedType, result);
        Assert.Equal(CniVersion.Parse(defaultVersion), result.Version);
        Assert.Equal(defaultVersion, result.ToJson()["cniVersion"]!.GetValue<string>());
    }

    [Fact]
    public void Parse_EmptyCniVersion_TakesDefaultVersion()
    {
        var result = CniResult.Parse(JsonNode.Parse("""{"cniVersion":"","ips":[]}"""), CniVersion.V040);

        Assert.Equal(CniVersion.V040, result.Version);
    }

    [Theory]
    [InlineData("0.5.0")]
    [InlineData("2.0.0")]
    [InlineData("latest")]
    public void Parse_UnknownVersion_ThrowsIncompatibleVersion(string version)
    {
        var error = Assert.Throws<CniException>(() =>
            CniResult.Parse(JsonNode.Parse("{\"cniVersion\":\"" + version + "\"}"), CniVersion.V100));

        Assert.Equal(CniErrorCode.IncompatibleVersion, error.Code);
        Assert.Contains(version, error.Message);
        Assert.Contains("1.1.0", error.Details);
    }

    [Theory]
    [InlineData("""{"cniVersion":"1.0.0","ips":[{"address":"10.0.0.300/24"}]}""", "ips[0].address")]
    [InlineData("""{"cniVersion":"1.0.0","ips":[{"address":"10.0.0.3"}]}""", "ips[0].address")]
    [InlineData("""{"cniVersion":"1.0.0","ips":[{"address":"10.0.0.3/33"}]}""", "ips[0].address")]
    [InlineData("""{"cniVersion":"1.0.0","ips":[{"address":"10.0.0.3/24","gateway":"nope"}]}""", "ips[0].gateway")]
    [InlineData("""{"cniVersion":"0.4.0","ips":[{"version":"5","address":"10.0.0.3/24"}]}""", "ips[0].version")]
    [InlineData("""{"cniVersion":"1.1.0","routes":[{"dst":"default"}]}""", "routes[0].dst")]
    [InlineData("""{"cniVersion":"0.2.0","ip4":{"ip":"10.0.0.3/24","routes":[{"dst":"::/0","gw":"x"}]}}""", "ip4.routes[0].gw")]
    [InlineData("""{"cniVersion":"0.2.0","ip6":{"gateway":"fd00::1"}}""", "ip")]
    [InlineData("""{"cniVersion":"1.0.0","interfaces":[{"mac":"aa"}]}""", "name")]
    [InlineData("""{"cniVersion":"1.0.0","ips":{"address":"10.0.0.3/24"}}""", "")]
    [InlineData("""{"cniVersion":"1.0.0","interfaces":[{"name":"eth0","mtu":"big"}]}""", "")]
    public void Parse_InvalidField_ThrowsDecodeNamingIt(string json, string field)
    {
        var error = Assert.Throws<CniException>(() => CniResult.Parse(JsonNode.Parse(json), CniVersion.V100));

        Assert.Equal(CniErrorCode.DecodeFailure, error.Code);
        Assert.Contains(field, error.Message + error.Details);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"cniVersion\":\"1.0.0\",")]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("not json")]
    public void Parse_NotAnObject_ThrowsDecode(string text)
    {
        var error = Assert.Throws<CniException>(() => CniResult.Parse(Encoding.UTF8.GetBytes(text), CniVersion.V100));

        Assert.Equal(CniErrorCode.DecodeFailure, error.Code);
    }

    [Fact]
    public void Parse_CniVersionNotString_ThrowsDecode()
    {
        var error = Assert.Throws<CniException>(() => CniResult.Parse(JsonNode.Parse("""{"cniVersion":1}"""), CniVersion.V100));

        Assert.Equal(CniErrorCode.DecodeFailure, error.Code);
    }

    [Fact]
    public void Parse_NullsAndUnknownFields_NullIsAbsentAndUnknownIsDropped()
    {
        var node = JsonNode.Parse("""
            {"cniVersion":"1.0.0","interfaces":null,"ips":[{"address":"10.0.0.2/24","gateway":null,"vendor":"x"}],
             "routes":null,"dns":null,"vendorExtension":{"a":1}}
            """);

        var result = CniResult.Parse(node, CniVersion.V100);

        Assert.Equal("""{"cniVersion":"1.0.0","ips":[{"address":"10.0.0.2/24"}]}""", result.ToJson().ToJsonString());
    }

    [Fact]
    public void Parse_KeysInOtherCase_ReadLikeGo()
    {
        // libcni decodes results with Go's encoding/json, which matches member names in any case.
        var node = JsonNode.Parse("""{"cniVersion":"1.0.0","IPs":[{"Address":"10.0.0.2/24","Gateway":"10.0.0.1"}],"DNS":{"Nameservers":["10.0.0.10"]}}""");

        var result = CniResult.Parse(node, CniVersion.V100);

        Assert.Equal("""{"cniVersion":"1.0.0","ips":[{"address":"10.0.0.2/24","gateway":"10.0.0.1"}],"dns":{"nameservers":["10.0.0.10"]}}""", result.ToJson().ToJsonString());
    }

    [Fact]
    public void Parse_V040WithV110InterfaceFields_KeepsOnlyV040Fields()
    {
        var node = JsonNode.Parse("""{"cniVersion":"0.4.0","interfaces":[{"name":"eth0","mtu":1500,"pciID":"x"}]}""");

        var result = CniResult.Parse(node, CniVersion.V040);

        Assert.Equal("""{"cniVersion":"0.4.0","interfaces":[{"name":"eth0"}]}""", result.ToJson().ToJsonString());
    }

    [Fact]
    public void Parse_V100WithIpVersion_DropsVersion()
    {
        var node = JsonNode.Parse("""{"cniVersion":"1.0.0","ips":[{"version":"4","address":"10.0.0.2/24"}]}""");

        var result = CniResult.Parse(node, CniVersion.V100);

        Assert.Equal("""{"cniVersion":"1.0.0","ips":[{"address":"10.0.0.2/24"}]}""", result.ToJson().ToJsonString());
    }

    [Fact]
    public void ToJson_EmptyResult_WritesOnlyVersion()
    {
        var result = new Result100 { Version = CniVersion.V110 };

        Assert.Equal("""{"cniVersion":"1.1.0"}""", result.ToJson().ToJsonString());
    }
}
