using System.Text;
using Plexus.Daemon.Server.Http;

namespace Plexus.Daemon.Tests.Server.Http;

public sealed class HttpRequestHeadTests
{
    private static HttpRequestHead Parse(string head) => HttpRequestHead.Parse(Encoding.Latin1.GetBytes(head));

    [Fact]
    public void Parse_OriginFormWithQuery_PathWithoutQueryAndKeepAlive()
    {
        var head = Parse("POST /cni?trace=1 HTTP/1.1\r\nHost: plexusd\r\ncontent-length: 12");

        Assert.Equal(("POST", "/cni", 12L, false, true, false), (head.Method, head.Path, head.ContentLength, head.Chunked, head.KeepAlive, head.ExpectContinue));
    }

    [Fact]
    public void Parse_AbsoluteFormTarget_TakesItsPath()
    {
        Assert.Equal("/healthz", Parse("GET http://multus/healthz HTTP/1.1\r\nHost: multus").Path);
    }

    [Theory]
    [InlineData("GET /healthz HTTP/1.1\r\nConnection: close", false)]
    [InlineData("GET /healthz HTTP/1.1\r\nConnection: keep-alive, Close", false)]
    [InlineData("GET /healthz HTTP/1.0", false)]
    [InlineData("GET /healthz HTTP/1.1\r\nConnection: keep-alive", true)]
    public void Parse_ConnectionHeaderAndVersion_DecideKeepAlive(string text, bool keepAlive)
    {
        Assert.Equal(keepAlive, Parse(text).KeepAlive);
    }

    [Fact]
    public void Parse_ChunkedWithExpectContinue_BothFlagged()
    {
        var head = Parse("POST /cni HTTP/1.1\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue");

        Assert.True(head.Chunked);
        Assert.True(head.ExpectContinue);
        Assert.Equal(0, head.ContentLength);
    }

    [Theory]
    [InlineData("GARBAGE", 400)]
    [InlineData("GET  /healthz HTTP/1.1", 400)]
    [InlineData("GET healthz HTTP/1.1", 400)]
    [InlineData("GET /healthz HTTP/2.0", 505)]
    [InlineData("POST /cni HTTP/1.1\r\nContent-Length: -1", 400)]
    [InlineData("POST /cni HTTP/1.1\r\nContent-Length: 1e3", 400)]
    [InlineData("POST /cni HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6", 400)]
    [InlineData("POST /cni HTTP/1.1\r\nTransfer-Encoding: gzip, chunked", 501)]
    [InlineData("POST /cni HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked", 400)]
    [InlineData("POST /cni HTTP/1.1\r\nno colon here", 400)]
    [InlineData("POST /cni HTTP/1.1\r\nContent-Length : 5", 400)]
    public void Parse_MalformedOrUnsupported_RejectedWithStatus(string text, int status)
    {
        var rejected = Assert.Throws<HttpRequestRejected>(() => Parse(text));

        Assert.Equal(status, rejected.Status);
    }
}
