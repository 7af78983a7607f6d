using Plexus.Cni.Config;
using Plexus.Cni.Json;
using Plexus.Cni.Results;

namespace Plexus.Cni.Tests.Json;

public sealed class CniJsonTests
{
    // 0x9d, 0xff and a truncated sequence cannot start or be UTF-8 (found by the config fuzz target).
    public static TheoryData<byte[]> InvalidUtf8 => new() { new byte[] { 0x9d }, new byte[] { 0xff, 0x41 }, new byte[] { 0xe2, 0x82 } };

    [Theory]
    [MemberData(nameof(InvalidUtf8))]
    public void ParseObject_InvalidUtf8InAString_ReplacedLikeGo(byte[] bad)
    {
        var json = Concat("{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"type\":\"bridge\",\"bridge\":\"br"u8, bad, "\"}"u8);

        var conf = NetworkConfig.Parse(json);

        Assert.StartsWith("br\uFFFD", conf.Raw["bridge"]!.GetValue<string>());
        Assert.Equal("bridge", conf.Type);
        Assert.Equal("n", NetworkConfigList.ParseConfOrList(json).Name);
    }

    [Theory]
    [MemberData(nameof(InvalidUtf8))]
    public void ParseObject_InvalidUtf8InAResult_Parses(byte[] bad)
    {
        var json = Concat("{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eth"u8, bad, "\"}],\"ips\":[{\"address\":\"10.0.0.2/24\"}]}"u8);

        var result = CniResult.Parse(json, CniVersion.V100);

        Assert.StartsWith("eth\uFFFD", result.ToJson()["interfaces"]![0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void ParseObject_InvalidUtf8AndBrokenJson_DecodeError()
    {
        var error = Assert.Throws<CniException>(() => CniJson.ParseObject(Concat("{\"name\":\"a"u8, [0xff], ""u8), "network config"));

        Assert.Equal(CniErrorCode.DecodeFailure, error.Code);
    }

    [Theory]
    [InlineData("""{"cniVersion":"1.0.0","name":"a","name":"b","type":"bridge"}""")]
    [InlineData("""{"cniVersion":"1.0.0","name":"a","plugins":[{"type":"bridge","ipam":{"type":"x","type":"y"}}]}""")]
    public void ParseObject_DuplicateKey_DecodeError(string json)
    {
        var error = Assert.Throws<CniException>(() => NetworkConfigList.ParseConfOrList(System.Text.Encoding.UTF8.GetBytes(json)));

        Assert.Equal(CniErrorCode.DecodeFailure, error.Code);
    }

    private static byte[] Concat(ReadOnlySpan<byte> a, byte[] b, ReadOnlySpan<byte> c) => [.. a, .. b, .. c];
}
