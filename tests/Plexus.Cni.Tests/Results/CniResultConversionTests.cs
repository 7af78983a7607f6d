using System.Text.Json.Nodes;
using Plexus.Cni.Results;

namespace Plexus.Cni.Tests.Results;

public sealed class CniResultConversionTests
{
    private static CniResult Sample(string version) => CniResult.Parse(JsonNode.Parse(ResultSamples.For(version)), CniVersion.V010);

    [Theory]
    [MemberData(nameof(ResultSamples.VersionPairs), MemberType = typeof(ResultSamples))]
    public void ConvertTo_AnySupportedPair_GivesTargetVersionThatReparses(string from, string to)
    {
        var target = CniVersion.Parse(to);

        var converted = Sample(from).ConvertTo(target);

        Assert.Equal(target, converted.Version);
        var reparsed = CniResult.Parse(converted.ToJson(), CniVersion.V010);
        Assert.Equal(converted.ToJson().ToJsonString(), reparsed.ToJson().ToJsonString());
    }

    /// <summary>Every pair except 0.3+ down to 0.1/0.2, which cannot hold interfaces.</summary>
    public static TheoryData<string, string> LosslessPairs()
    {
        var data = new TheoryData<string, string>();
        foreach (var from in CniVersion.Supported)
        {
            foreach (var to in CniVersion.Supported.Where(to => to >= CniVersion.V030 || from < CniVersion.V030))
            {
                data.Add(from.ToString(), to.ToString());
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(LosslessPairs))]
    public void ConvertTo_ThereAndBack_IsLosslessForCanonicalSamples(string from, string to)
    {
        var original = Sample(from);

        var back = original.ConvertTo(CniVersion.Parse(to)).ConvertTo(original.Version);

        Assert.Equal(original.ToJson().ToJsonString(), back.ToJson().ToJsonString());
    }

    [Fact]
    public void ConvertTo_V020ToV040_MovesAddressesAndRoutesLikeLibcni()
    {
        var converted = Sample("0.2.0").ConvertTo(CniVersion.V040);

        Assert.Equal(
            """{"cniVersion":"0.4.0","ips":[{"version":"4","address":"10.1.0.5/24","gateway":"10.1.0.1"},{"version":"6","address":"fd00::5/64","gateway":"fd00::1"}],"routes":[{"dst":"0.0.0.0/0","gw":"10.1.0.1"},{"dst":"::/0","gw":"fd00::1"}],"dns":"""
            + ResultSamples.Dns + "}",
            converted.ToJson().ToJsonString());
    }

    [Fact]
    public void ConvertTo_V020ToV110_HasNoIpVersion()
    {
        var converted = (Result100)Sample("0.1.0").ConvertTo(CniVersion.V110);

        Assert.All(converted.Ips, ip => Assert.Null(ip.Version));
        Assert.Equal(["10.1.0.5/24", "fd00::5/64"], converted.Ips.Select(ip => ip.Address));
        Assert.Equal(2, converted.Routes.Count);
    }

    [Fact]
    public void ConvertTo_V040ToV020_KeepsFirstAddressPerFamilyAndRoutesByFamily()
    {
        var node = JsonNode.Parse("""
            {"cniVersion":"0.4.0","interfaces":[{"name":"eth0"}],
             "ips":[{"version":"6","address":"fd00::5/64"},{"version":"4","address":"10.0.0.5/24","gateway":"10.0.0.1"},
                    {"version":"4","address":"10.0.0.6/24"},{"version":"6","address":"fd00::6/64"}],
             "routes":[{"dst":"0.0.0.0/0","gw":"10.0.0.1","mtu":1400},{"dst":"fd01::/64"}]}
            """);

        var converted = CniResult.Parse(node, CniVersion.V040).ConvertTo(CniVersion.V020);

        Assert.Equal(
            """{"cniVersion":"0.2.0","ip4":{"ip":"10.0.0.5/24","gateway":"10.0.0.1","routes":[{"dst":"0.0.0.0/0","gw":"10.0.0.1"}]},"ip6":{"ip":"fd00::5/64","routes":[{"dst":"fd01::/64"}]}}""",
            converted.ToJson().ToJsonString());
    }

    [Fact]
    public void ConvertTo_V040ToV020_DropsRoutesOfFamilyWithoutAddress()
    {
        var node = JsonNode.Parse("""{"cniVersion":"0.3.1","ips":[{"version":"4","address":"10.0.0.5/24"}],"routes":[{"dst":"::/0"}]}""");

        var converted = CniResult.Parse(node, CniVersion.V031).ConvertTo(CniVersion.V010);

        Assert.Equal("""{"cniVersion":"0.1.0","ip4":{"ip":"10.0.0.5/24"}}""", converted.ToJson().ToJsonString());
    }

    [Theory]
    [InlineData("0.3.0", "0.1.0")]
    [InlineData("0.4.0", "0.2.0")]
    [InlineData("1.0.0", "0.2.0")]
    [InlineData("1.1.0", "0.1.0")]
    public void ConvertTo_NoAddressDownTo020_ThrowsIncompatibleVersion(string from, string to)
    {
        var result = CniResult.Parse(JsonNode.Parse("{\"cniVersion\":\"" + from + "\",\"interfaces\":[{\"name\":\"eth0\"}]}"), CniVersion.V010);

        var error = Assert.Throws<CniException>(() => result.ConvertTo(CniVersion.Parse(to)));

        Assert.Equal(CniErrorCode.IncompatibleVersion, error.Code);
        Assert.Contains("no valid IP addresses", error.Message);
        Assert.Contains(from, error.Message);
        Assert.Contains(to, error.Message);
    }

    [Fact]
    public void ConvertTo_V110ToV040_DropsNewInterfaceFieldsAddsIpVersionKeepsRouteFields()
    {
        var converted = CniResult.Parse(JsonNode.Parse(ResultSamples.V110Full()), CniVersion.V110).ConvertTo(CniVersion.V040);

        Assert.Equal(
            """{"cniVersion":"0.4.0","interfaces":[{"name":"eth0","mac":"0a:58:0a:01:00:05","sandbox":"/var/run/netns/pod"}],"ips":[{"version":"4","interface":0,"address":"10.1.0.5/24","gateway":"10.1.0.1"}],"routes":[{"dst":"10.2.0.0/16","gw":"10.1.0.1","mtu":1400,"advmss":1360,"priority":100,"table":200,"scope":0}],"dns":"""
            + ResultSamples.Dns + "}",
            converted.ToJson().ToJsonString());
    }

    [Fact]
    public void ConvertTo_V110ToV100_OnlyChangesVersionLikeLibcni()
    {
        var converted = CniResult.Parse(JsonNode.Parse(ResultSamples.V110Full()), CniVersion.V110).ConvertTo(CniVersion.V100);

        Assert.Equal(ResultSamples.V110Full("1.0.0"), converted.ToJson().ToJsonString());
    }

    [Theory]
    [InlineData("0.5.0")]
    [InlineData("1.2.0")]
    public void ConvertTo_UnsupportedTarget_ThrowsIncompatibleVersion(string to)
    {
        var error = Assert.Throws<CniException>(() => Sample("1.0.0").ConvertTo(CniVersion.Parse(to)));

        Assert.Equal(CniErrorCode.IncompatibleVersion, error.Code);
        Assert.Contains(to, error.Message);
    }

    [Fact]
    public void ConvertTo_V100ToV040_DerivesIpVersionFromAddress()
    {
        var converted = (Result040)Sample("1.0.0").ConvertTo(CniVersion.V030);

        Assert.Equal(["4", "6"], converted.Ips.Select(ip => ip.Version));
    }
}
