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
}
