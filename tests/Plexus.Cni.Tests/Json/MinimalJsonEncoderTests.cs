using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plexus.Cni.Json;

namespace Plexus.Cni.Tests.Json;

public sealed class MinimalJsonEncoderTests
{
    private static string Written(string value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = MinimalJsonEncoder.Instance }))
        {
            writer.WriteStringValue(value);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Theory]
    [InlineData("plain-ascii_1.2", "\"plain-ascii_1.2\"")]
    [InlineData("q\"b\\s", "\"q\\\"b\\\\s\"")]
    [InlineData("a\nb\tc\rd\be\ff", "\"a\\nb\\tc\\rd\\be\\ff\"")]
    [InlineData("\u0001\u001f", "\"\\u0001\\u001F\"")]
    [InlineData("<tag>&'+/`", "\"<tag>&'+/`\"")]
    [InlineData("café ünïcode \u2028 😀", "\"café ünïcode \u2028 😀\"")]
    public void WriteString_OnlyQuoteBackslashAndControlsEscaped(string value, string expected)
    {
        Assert.Equal(expected, Written(value));
    }

    [Theory]
    [InlineData("{\"k\":\"a\\\"b\\\\c\\n\\u0002<>&é😀\"}")]
    [InlineData("{\"name\":\"net\",\"args\":{\"cni\":{\"x\":\"\\t\"}}}")]
    public void ToBytes_ParsedNode_RoundTripsToTheSameValue(string json)
    {
        var node = JsonNode.Parse(json)!;

        var written = CniJson.ToBytes(node);

        Assert.True(JsonNode.DeepEquals(node, JsonNode.Parse(written)));
    }

    [Fact]
    public void ToBytes_NonAsciiAndHtmlCharacters_WrittenAsTheyAre()
    {
        var written = Encoding.UTF8.GetString(CniJson.ToBytes(new JsonObject { ["v"] = "<ü&>" }));

        Assert.Equal("{\"v\":\"<ü&>\"}", written);
    }
}
