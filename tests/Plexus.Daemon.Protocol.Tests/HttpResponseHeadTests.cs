using System.Text;

namespace Plexus.Daemon.Protocol.Tests;

public sealed class HttpResponseHeadTests
{
    [Fact]
    public void TryParse_ContentLength_ReturnsStatusOffsetAndLength()
    {
        var bytes = Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\ncontent-length: 7\r\nContent-Type: application/json\r\n\r\n{\"a\":1}");

        var head = HttpResponseHead.TryParse(bytes);

        Assert.Equal(new HttpResponseHead(400, bytes.Length - 7, 7, false), head);
    }

    [Fact]
    public void TryParse_Chunked_IgnoresContentLength()
    {
        var head = HttpResponseHead.TryParse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n"u8);

        Assert.NotNull(head);
        Assert.True(head.Chunked);
        Assert.Null(head.ContentLength);
    }

    [Fact]
    public void TryParse_IncompleteHead_ReturnsNull()
    {
        Assert.Null(HttpResponseHead.TryParse("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n"u8));
    }

    [Theory]
    [InlineData("SSH-2.0-OpenSSH\r\n\r\n")]
    [InlineData("HTTP/1.1 2000 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nno-colon-here\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: many\r\n\r\n")]
    public void TryParse_NotHttp_ThrowsFormatException(string text)
    {
        Assert.Throws<FormatException>(() => HttpResponseHead.TryParse(Encoding.ASCII.GetBytes(text)));
    }
}
