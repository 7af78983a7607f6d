using System.Text;

namespace Plexus.Http.Tests;

public sealed class Http11ResponseReaderTests
{
    private const int MaxBody = 64 << 20;

    private static (Http11Response Response, bool KeepAlive, string Body) Read(string wire, string method = "GET")
    {
        var response = new Http11ResponseReader(new MemoryStream(Encoding.Latin1.GetBytes(wire)), MaxBody).Read(method);
        return (response, response.KeepAlive, Encoding.UTF8.GetString(response.Body));
    }

    private static string? Header(Http11Response response, string name) =>
        response.Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    [Fact]
    public void Read_ContentLength_BodyHeadersAndKeepAlive()
    {
        var (response, keepAlive, body) = Read("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nAudit-Id: a1\r\nContent-Length: 2\r\n\r\n{}");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("OK", response.ReasonPhrase);
        Assert.Equal(1, response.MinorVersion);
        Assert.Equal("{}", body);
        Assert.Equal("application/json", Header(response, "content-type"));
        Assert.Equal("a1", Header(response, "Audit-Id"));
        Assert.True(keepAlive);
    }

    [Fact]
    public void Read_Chunked_JoinsChunksSkipsExtensionsAndTrailers()
    {
        var (_, keepAlive, body) = Read("HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\n{\"a\":\r\n3\r\n12}\r\n0\r\nX-Trailer: t\r\n\r\n");

        Assert.Equal("{\"a\":12}", body);
        Assert.True(keepAlive);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\n\r\nuntil close", "until close")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}", "{}")]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n{}", "{}")]
    public void Read_ConnectionNotReusable_NoKeepAlive(string wire, string expectedBody)
    {
        var (_, keepAlive, body) = Read(wire);

        Assert.Equal(expectedBody, body);
        Assert.False(keepAlive);
    }

    [Fact]
    public void Read_InterimContinue_FinalAnswerReturned()
    {
        var (response, _, body) = Read("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 1\r\n\r\nx");

        Assert.Equal(201, response.StatusCode);
        Assert.Equal("x", body);
    }

    [Theory]
    [InlineData("HTTP/1.1 204 No Content\r\n\r\n")]
    [InlineData("HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n")]
    public void Read_StatusWithoutBody_EmptyBodyKeepAlive(string wire)
    {
        var (_, keepAlive, body) = Read(wire);

        Assert.Equal("", body);
        Assert.True(keepAlive);
    }

    [Theory]
    [InlineData("SSH-2.0-OpenSSH_9.2\r\n\r\n", "status line")]
    [InlineData("HTTP/2 200\r\n\r\n", "status line")]
    [InlineData("HTTP/1.1 2x0 OK\r\n\r\n", "status line")]
    [InlineData("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "header line")]
    [InlineData("HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n", "header line")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "Content-Length")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "chunk size")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n", "chunk not followed by CRLF")]
    [InlineData("HTTP/1.1 2000 OK\r\n\r\n", "status line")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: many\r\n\r\n", "Content-Length")]
    public void Read_Malformed_InvalidDataNamingThePart(string wire, string part)
    {
        var error = Assert.Throws<InvalidDataException>(() => Read(wire));

        Assert.Contains("not valid HTTP/1.1", error.Message);
        Assert.Contains(part, error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Le")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab")]
    public void Read_Truncated_EndOfStreamAboutClosedConnection(string wire)
    {
        var error = Assert.Throws<EndOfStreamException>(() => Read(wire));

        Assert.Contains("closed the connection in the middle of an answer", error.Message);
    }

    [Fact]
    public void Read_ChunkedEvenWithContentLength_ChunkedWins()
    {
        var (_, _, body) = Read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n2\r\nab\r\n0\r\n\r\n");

        Assert.Equal("ab", body);
    }

    [Fact]
    public void Read_ChunkedBodyOverLimit_Refused()
    {
        var error = Assert.Throws<InvalidDataException>(() =>
            new Http11ResponseReader(new MemoryStream("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n0\r\n\r\n"u8.ToArray()), 4).Read("GET"));

        Assert.Contains("larger than 4 bytes", error.Message);
    }

    [Fact]
    public void Read_HeadSectionTooLarge_Refused()
    {
        var wire = "HTTP/1.1 200 OK\r\n" + string.Concat(Enumerable.Repeat("X-Filler: " + new string('a', 1000) + "\r\n", 70)) + "\r\n";

        var error = Assert.Throws<InvalidDataException>(() => Read(wire));

        Assert.Contains("longer than 64 KiB", error.Message);
    }

    [Fact]
    public void Read_DeclaredBodyTooLarge_RefusedBeforeReading()
    {
        var error = Assert.Throws<InvalidDataException>(() => Read("HTTP/1.1 200 OK\r\nContent-Length: 999999999999\r\n\r\n"));

        Assert.Contains($"larger than {MaxBody} bytes", error.Message);
    }

    [Fact]
    public void Read_HeadRequest_NoBodyReadDespiteLength()
    {
        var (_, keepAlive, body) = Read("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", "HEAD");

        Assert.Equal("", body);
        Assert.True(keepAlive);
    }

    [Fact]
    public void Read_BytesAfterAnswer_ConnectionNotReused()
    {
        var (_, keepAlive, _) = Read("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxJUNK");

        Assert.False(keepAlive);
    }
}
