using System.Text;

namespace Plexus.Cni.Tests;

public sealed class CniErrorJsonTests
{
    [Fact]
    public void ToBytes_WithDetails_WritesSpecErrorJson()
    {
        var bytes = new CniException(7, "missing \"type\" <&>", "in /etc/cni/net.d/x.conf").ToBytes(CniVersion.V040);

        Assert.Equal("""{"cniVersion":"0.4.0","code":7,"msg":"missing \"type\" <&>","details":"in /etc/cni/net.d/x.conf"}""", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void ToBytes_NoDetails_OmitsDetails()
    {
        var bytes = new CniException(11, "busy").ToBytes(CniVersion.V110);

        Assert.Equal("""{"cniVersion":"1.1.0","code":11,"msg":"busy"}""", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void TryParse_ChildErrorJson_RoundTrips()
    {
        var original = new CniException(104, "failed to set up bridge", "permission denied");

        Assert.True(CniErrorJson.TryParse(original.ToBytes(CniVersion.V100), out var parsed));

        Assert.Equal(104, parsed.Code);
        Assert.Equal("failed to set up bridge", parsed.Message);
        Assert.Equal("permission denied", parsed.Details);
    }

    [Fact]
    public void TryParse_GoStyleWithoutVersionOrDetails_Parses()
    {
        Assert.True(CniErrorJson.TryParse("""{"code":4,"msg":"required env variables [CNI_NETNS] missing"}"""u8, out var parsed));

        Assert.Equal(4, parsed.Code);
        Assert.Null(parsed.Details);
    }

    [Theory]
    [InlineData("")]
    [InlineData("panic: runtime error")]
    [InlineData("""{"msg":"no code"}""")]
    [InlineData("""{"code":"7","msg":"string code"}""")]
    [InlineData("""{"code":1.5,"msg":"fraction"}""")]
    [InlineData("""[{"code":1}]""")]
    public void TryParse_NotErrorJson_ReturnsFalse(string text)
    {
        Assert.False(CniErrorJson.TryParse(Encoding.UTF8.GetBytes(text), out var parsed));
        Assert.Null(parsed);
    }
}
