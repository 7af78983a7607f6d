using System.Text;
using System.Text.Json;

namespace Plexus.Daemon.Protocol.Tests;

public sealed class CniRequestBodyTests
{
    [Theory]
    [InlineData("""{"env":null,"config":""}""")]
    [InlineData("""{"env":{},"config":null}""")]
    [InlineData("""{"env":{"CNI_COMMAND":null},"config":""}""")]
    [InlineData("""{}""")] // the source generator leaves absent init-only properties null
    public void IsComplete_NullWhereTheShimSendsValues_False(string json)
    {
        var body = JsonSerializer.Deserialize(Encoding.UTF8.GetBytes(json), ProtocolJsonContext.Default.CniRequestBody);

        Assert.NotNull(body);
        Assert.False(body.IsComplete);
    }

    [Theory]
    [InlineData("""{"env":{"CNI_COMMAND":"ADD"},"config":"e30="}""")]
    [InlineData("""{"env":{},"config":""}""")]
    public void IsComplete_ShimBody_True(string json)
    {
        var body = JsonSerializer.Deserialize(Encoding.UTF8.GetBytes(json), ProtocolJsonContext.Default.CniRequestBody);

        Assert.NotNull(body);
        Assert.True(body.IsComplete);
    }

    [Fact]
    public void Encode_EnvAndConfig_AsciiJsonTheDaemonReadsBackExactly()
    {
        var env = new Dictionary<string, string>
        {
            ["CNI_COMMAND"] = "ADD",
            ["CNI_ARGS"] = "K8S_POD_NAMESPACE=ns;K8S_POD_NAME=p<&'\"\\é\u0001\u007f😀>",
            ["CNI_PATH"] = "",
        };
        var config = Encoding.UTF8.GetBytes("{\"cniVersion\":\"1.0.0\",\"name\":\"n\"}\n\u00ff");

        var encoded = CniRequestBody.Encode(env, config);

        Assert.All(encoded, b => Assert.InRange(b, 0x20, 0x7e));
        Assert.Contains(@"p<&'\u0022\u005c\u00e9\u0001\u007f\ud83d\ude00>", Encoding.ASCII.GetString(encoded), StringComparison.Ordinal);
        var read = JsonSerializer.Deserialize(encoded, ProtocolJsonContext.Default.CniRequestBody)!;
        Assert.Equal(env, read.Env);
        Assert.Equal(config, read.Config);
        Assert.Equal(CniRequestBody.ResultInConfigVersion, read.ResultVersion);
    }

    [Fact]
    public void Encode_NoEnvEmptyConfig_EmptyObjectAndStringAskingForTheConfigsVersion()
    {
        Assert.Equal("""{"env":{},"config":"","resultVersion":"config"}""",
            Encoding.UTF8.GetString(CniRequestBody.Encode(new Dictionary<string, string>(), [])));
    }
}
