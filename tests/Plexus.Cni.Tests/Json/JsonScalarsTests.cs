using System.Text.Json.Nodes;
using Plexus.Cni.Json;

namespace Plexus.Cni.Tests.Json;

public sealed class JsonScalarsTests
{
    private static JsonNode? Parsed(string json) => JsonNode.Parse($"{{\"v\":{json}}}")!["v"];

    [Theory]
    [InlineData("\"plain\"", "plain")]
    [InlineData("\"\"", "")]
    [InlineData("\"q\\\"b\\\\s\\u00e9\\n\\u003c\"", "q\"b\\s\u00e9\n<")]
    public void String_ParsedString_IsItsUnescapedText(string json, string expected) =>
        Assert.Equal(expected, JsonScalars.String(Parsed(json)));

    [Fact]
    public void String_CreatedString_IsItsText() =>
        Assert.Equal("a\"b", JsonScalars.String(JsonValue.Create("a\"b")));

    [Theory]
    [InlineData("1")]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("[\"a\"]")]
    [InlineData("{\"a\":\"b\"}")]
    public void String_AnythingButAString_IsNull(string json) => Assert.Null(JsonScalars.String(Parsed(json)));

    [Fact]
    public void String_MissingNode_IsNull() => Assert.Null(JsonScalars.String(null));

    [Theory]
    [InlineData("0", 0)]
    [InlineData("1500", 1500)]
    [InlineData("-7", -7)]
    [InlineData("2147483647", int.MaxValue)]
    [InlineData("-2147483648", int.MinValue)]
    public void Int_WholeNumbers(string json, int expected) => Assert.Equal(expected, JsonScalars.Int(Parsed(json)));

    [Fact]
    public void Int_CreatedNumber_IsItsValue() => Assert.Equal(42, JsonScalars.Int(JsonValue.Create(42)));

    [Theory]
    [InlineData("1.5")]
    [InlineData("1.0")]
    [InlineData("1e3")]
    [InlineData("2147483648")]
    [InlineData("\"5\"")]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("[1]")]
    public void Int_AnythingButAWholeInt_IsNull(string json) => Assert.Null(JsonScalars.Int(Parsed(json)));

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public void Bool_TrueAndFalse(string json, bool expected) => Assert.Equal(expected, JsonScalars.Bool(Parsed(json)));

    [Theory]
    [InlineData("\"true\"")]
    [InlineData("1")]
    [InlineData("null")]
    [InlineData("{}")]
    public void Bool_AnythingElse_IsNull(string json) => Assert.Null(JsonScalars.Bool(Parsed(json)));
}
