using System.Text.Json;
using System.Text.Json.Nodes;
using Plexus.Cni.Json;

namespace Plexus.Cni.Tests.Json;

public sealed class CniVersionFieldTests
{
    private static byte[] Utf8(string json) => System.Text.Encoding.UTF8.GetBytes(json);

    public static TheoryData<string> Versions() => new(CniVersion.Supported.Select(v => v.ToString()));

    [Theory]
    [MemberData(nameof(Versions))]
    [InlineData("9.0.0")]
    public void Of_VersionString_IsThatVersionEvenIfNotSpoken(string version)
    {
        var json = $$"""{"name":"n","cniVersion":"{{version}}"}""";

        Assert.Equal(CniVersion.Parse(version), CniVersionField.Of(JsonNode.Parse(json)!.AsObject()));
        Assert.Equal(CniVersion.Parse(version), CniVersionField.Read(Utf8(json)));
    }

    [Fact]
    public void Of_EmptyString_Is010AsLibcniReadsAConfig()
    {
        Assert.Equal(CniVersion.V010, CniVersionField.Of(JsonNode.Parse("""{"cniVersion":""}""")!.AsObject()));
        Assert.Equal(CniVersion.V010, CniVersionField.Read("""{"cniVersion":""}"""u8));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"cniVersion":1}""")]
    [InlineData("""{"cniVersion":null}""")]
    [InlineData("""{"cniVersion":["1.0.0"]}""")]
    [InlineData("""{"cniVersion":"1.01.0"}""")]
    [InlineData("""{"cniVersion":" 1.0.0"}""")]
    [InlineData("""{"ipam":{"cniVersion":"0.4.0"}}""")]
    public void Of_NoVersionString_IsNull(string json)
    {
        Assert.Null(CniVersionField.Of(JsonNode.Parse(json)!.AsObject()));
        Assert.Null(CniVersionField.Read(Utf8(json)));
    }

    [Fact]
    public void Of_NullObject_IsNull() => Assert.Null(CniVersionField.Of((JsonObject?)null));

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("[\"1.0.0\"]")]
    [InlineData("""{"cniVersion":"1.0.0","name":""")]
    [InlineData("""{"cniVersion":"1.0.0"} x""")]
    [InlineData("""{"cniVersion":"1.0.0"}{}""")]
    [InlineData("""{"cniVersion":"1.0.0",}""")]
    public void Read_NotOneValidObject_IsNull(string json) => Assert.Null(CniVersionField.Read(Utf8(json)));

    // Go's encoding/json, which the runtime reads the config with, keeps the last of repeated keys.
    [Theory]
    [InlineData("""{"cniVersion":"0.3.1","cniVersion":"1.0.0"}""", "1.0.0")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","ipam":{"cniVersion":"0.2.0"},"cniVersion":"0.4.0"}""", "0.4.0")]
    [InlineData("""{"cniVersion":"1.0.0","cni\u0056ersion":"0.4.0"}""", "0.4.0")]
    [InlineData("""{"cniVersion":"1.0.0","cniVersion":1}""", null)]
    [InlineData("""{"cniVersion":"1.0.0","cniVersion":null}""", null)]
    [InlineData("""{"cniVersion":"1.0.0","cniVersion":{"v":"1.0.0"}}""", null)]
    [InlineData("""{"cniVersion":1,"cniVersion":"0.4.0"}""", "0.4.0")]
    public void Read_RepeatedKey_TheLastCounts(string json, string? expected)
    {
        Assert.Equal(expected, CniVersionField.ReadText(Utf8(json)));
        Assert.Equal(expected is null ? null : CniVersion.Parse(expected), CniVersionField.Read(Utf8(json)));
    }

    [Fact]
    public void Read_InvalidUtf8ElsewhereInTheDocument_StillReadsTheVersion()
    {
        byte[] json = [.. "{\"cniVersion\":\"0.4.0\",\"name\":\"n"u8, 0xff, .. "\"}"u8];

        Assert.Equal(CniVersion.V040, CniVersionField.Read(json));
    }

    [Theory]
    [InlineData("""{"cniVersion":"0.3.1"}""", "0.3.1")]
    [InlineData("""{"cniVersion":""}""", "")]
    [InlineData("""{"cniVersion":"not a version"}""", "not a version")]
    [InlineData("""{"name":"n","ipam":{"cniVersion":"0.2.0","x":[1,{}]},"cniVersion":"0.3.1"}""", "0.3.1")]
    [InlineData("""{"cni\u0056ersion":"0.3.1"}""", "0.3.1")]
    [InlineData("\n {\"cniVersion\":\"0.3.1\"} \n", "0.3.1")]
    public void ReadText_VersionString_IsItsText(string json, string expected) =>
        Assert.Equal(expected, CniVersionField.ReadText(Utf8(json)));

    [Theory]
    [InlineData("   ")]
    [InlineData("\"1.0.0\"")]
    [InlineData("[{\"cniVersion\":\"1.0.0\"}]")]
    [InlineData("""{"name":"n""")]
    [InlineData("""{"cniVersion":true}""")]
    [InlineData("""{"ipam":{"cniVersion":"0.4.0"},"name":"n"}""")]
    [InlineData("""{"name":,"cniVersion":"0.4.0"}""")]
    [InlineData("""{"cniVersion":"0.3.1","name":""")]
    [InlineData("""{"cniVersion":"0.3.1"}]""")]
    public void ReadText_NoVersionStringOrNotOneValidObject_IsNull(string json) =>
        Assert.Null(CniVersionField.ReadText(Utf8(json)));

    [Fact]
    public void ReadText_ValueNotValidUtf8_IsNull()
    {
        byte[] json = [.. "{\"cniVersion\":\"1.0."u8, 0xff, .. "\"}"u8];

        Assert.Null(CniVersionField.ReadText(json));
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void SpokenOrLatest_SpokenVersion_IsThatVersion(string version) =>
        Assert.Equal(CniVersion.Parse(version), CniVersionField.SpokenOrLatest(CniVersion.Parse(version)));

    [Fact]
    public void SpokenOrLatest_UnspokenOrNone_IsLatest()
    {
        Assert.Equal(CniVersion.Latest, CniVersionField.SpokenOrLatest(new CniVersion(9, 0, 0)));
        Assert.Equal(CniVersion.Latest, CniVersionField.SpokenOrLatest(null));
    }
}
