using System.Text;
using Plexus.Daemon.Server.Http;

namespace Plexus.Daemon.Tests.Server.Http;

public sealed class ChunkedBodyTests
{
    [Fact]
    public void TryDecode_SeveralChunksWithExtension_JoinsThem()
    {
        var decoded = ChunkedBody.TryDecode("4\r\n{\"a\"\r\n3;ext=1\r\n:1}\r\n0\r\n\r\n"u8);

        Assert.Equal("{\"a\":1}", Encoding.UTF8.GetString(decoded!));
    }

    [Theory]
    [InlineData("4\r\n{\"a\"\r\n")]
    [InlineData("4\r\n{\"")]
    [InlineData("")]
    public void TryDecode_Unfinished_ReturnsNull(string text)
    {
        Assert.Null(ChunkedBody.TryDecode(Encoding.ASCII.GetBytes(text)));
    }

    [Theory]
    [InlineData("zz\r\nabc\r\n0\r\n\r\n")]
    [InlineData("2\r\nabc\r\n0\r\n\r\n")]
    public void TryDecode_BrokenFraming_ThrowsFormatException(string text)
    {
        Assert.Throws<FormatException>(() => ChunkedBody.TryDecode(Encoding.ASCII.GetBytes(text)));
    }
}
