using System.Text.Json.Nodes;
using CsCheck;
using Plexus.Cni.Results;

namespace Plexus.Cni.Tests.Properties;

/// <summary>
/// libcni's conversions are lossless upwards for what the lower version can say: converting up and
/// back down returns the original result, and the original parses and prints back to itself.
/// </summary>
public sealed class ResultConversionProperties
{
    public static TheoryData<string, string> UpThenDown() => new()
    {
        { "0.1.0", "0.4.0" }, { "0.2.0", "0.3.0" }, { "0.2.0", "0.3.1" }, { "0.2.0", "0.4.0" }, { "0.2.0", "1.0.0" }, { "0.2.0", "1.1.0" },
        { "0.3.0", "0.4.0" }, { "0.3.1", "1.0.0" }, { "0.4.0", "1.0.0" }, { "0.4.0", "1.1.0" }, { "1.0.0", "1.1.0" },
    };

    [Theory]
    [MemberData(nameof(UpThenDown))]
    public void ConvertTo_UpThenDown_ReturnsTheOriginal(string from, string up)
    {
        var original = Parse(from);
        var target = Parse(up);

        Generator(original).Sample(json =>
        {
            var result = CniResult.Parse(json, original);

            var back = result.ConvertTo(target).ConvertTo(original);

            Assert.True(JsonNode.DeepEquals(json, back.ToJson()), $"{json.ToJsonString()} came back as {back.ToJson().ToJsonString()}");
        }, iter: 200);
    }

    [Theory]
    [InlineData("0.2.0")]
    [InlineData("0.4.0")]
    [InlineData("1.0.0")]
    public void Parse_GeneratedResult_PrintsBackUnchanged(string version)
    {
        var parsed = Parse(version);

        Generator(parsed).Sample(json =>
            Assert.True(JsonNode.DeepEquals(json, CniResult.Parse(json, parsed).ToJson()), json.ToJsonString()), iter: 200);
    }

    private static Gen<JsonObject> Generator(CniVersion version) => ResultFamilies.Of(version) switch
    {
        ResultFamily.V020 => ResultGen.V020(version),
        ResultFamily.V040 => ResultGen.V040(version),
        _ => ResultGen.V100(version),
    };

    private static CniVersion Parse(string text) =>
        CniVersion.TryParse(text, out var version) ? version : throw new ArgumentException(text);
}
