using System.Text;
using Plexus.Daemon.Metrics;
using Plexus.Daemon.Server.Http;

namespace Plexus.Daemon.Tests.Server.Http;

public sealed class ChunkedDecoderTests
{
    private static (ChunkedDecoder Decoder, RequestBody Body) NewDecoder()
    {
        var body = new RequestBody(new BodyBudget(2L * RequestBody.MaxBytes, new DaemonMetrics()));
        return (new ChunkedDecoder(body), body);
    }

    /// <summary><paramref name="data"/> framed in chunks of <paramref name="chunkSize"/>, each with an extension, and a trailer field.</summary>
    private static byte[] Chunked(byte[] data, int chunkSize)
    {
        var framed = new MemoryStream();
        for (var at = 0; at < data.Length; at += chunkSize)
        {
            var size = Math.Min(chunkSize, data.Length - at);
            framed.Write(Encoding.ASCII.GetBytes($"{size:x};n={at}\r\n"));
            framed.Write(data, at, size);
            framed.Write("\r\n"u8);
        }
        framed.Write("0\r\nX-Trailer: yes\r\n\r\n"u8);
        return framed.ToArray();
    }

    private static byte[] Pattern(int length) => [.. Enumerable.Range(0, length).Select(i => (byte)(i * 7))];

    [Fact]
    public void Decode_SeveralChunksWithExtensionAndTrailer_JoinsThemAndTakesEverything()
    {
        var (decoder, body) = NewDecoder();
        var input = "4\r\n{\"a\"\r\n3;ext=1\r\n:1}\r\n0\r\nX-Checksum: 1\r\n\r\n"u8;

        Assert.Equal(input.Length, decoder.Decode(input));

        Assert.True(decoder.IsComplete);
        Assert.Equal("{\"a\":1}", Encoding.UTF8.GetString(body.Content.Span));
    }

    [Fact]
    public void Decode_FedOneByteAtATime_TakesEachByteOnceAndDecodesTheSameBody()
    {
        var data = Pattern(64 << 10);
        var input = Chunked(data, 1000);
        var (decoder, body) = NewDecoder();

        for (var at = 0; at < input.Length; at++)
        {
            Assert.False(decoder.IsComplete);
            // Every call takes the byte it is given: no byte is kept back to be looked at again with the next read.
            Assert.Equal(1, decoder.Decode(input.AsSpan(at, 1)));
        }

        Assert.True(decoder.IsComplete);
        Assert.Equal(data, body.Content.ToArray());
    }

    [Fact]
    public void Decode_FourMiBIn1KiBChunksReadBy4KiB_EveryReadTakenWhole()
    {
        var data = Pattern(RequestBody.MaxBytes);
        var input = Chunked(data, 1 << 10);
        var (decoder, body) = NewDecoder();

        var reads = 0;
        for (var at = 0; at < input.Length; at += 4096)
        {
            var read = input.AsSpan(at, Math.Min(4096, input.Length - at));
            Assert.Equal(read.Length, decoder.Decode(read));
            reads++;
        }

        Assert.Equal((input.Length + 4095) / 4096, reads);
        Assert.True(decoder.IsComplete);
        Assert.Equal(data, body.Content.ToArray());
    }

    [Fact]
    public void Decode_BytesAfterTheBody_NotTaken()
    {
        var (decoder, body) = NewDecoder();
        var body1 = "3\r\nabc\r\n0\r\n\r\n"u8;
        var input = Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(body1) + "GET /healthz HTTP/1.1\r\n\r\n");

        Assert.Equal(body1.Length, decoder.Decode(input));

        Assert.True(decoder.IsComplete);
        Assert.Equal("abc", Encoding.ASCII.GetString(body.Content.Span));
    }

    [Theory]
    [InlineData("")]
    [InlineData("4")]
    [InlineData("4\r\n{\"")]
    [InlineData("4\r\n{\"a\"\r\n")]
    [InlineData("4\r\n{\"a\"\r\n0\r\n")]
    [InlineData("4\r\n{\"a\"\r\n0\r\nX-Trailer: 1\r\n")]
    public void Decode_Unfinished_TakesAllAndIsNotComplete(string text)
    {
        var (decoder, _) = NewDecoder();

        Assert.Equal(text.Length, decoder.Decode(Encoding.ASCII.GetBytes(text)));

        Assert.False(decoder.IsComplete);
    }

    [Theory]
    [InlineData("zz\r\nabc\r\n0\r\n\r\n")]
    [InlineData("\r\nabc\r\n0\r\n\r\n")]
    [InlineData("-3\r\nabc\r\n0\r\n\r\n")]
    [InlineData("2\r\nabc\r\n0\r\n\r\n")]
    [InlineData("3\nabc\r\n0\r\n\r\n")]
    [InlineData("3\r\nabc\n0\r\n\r\n")]
    [InlineData("3\r\nabc\r\n0\r\n\rX")]
    [InlineData("3\r\nabc\r\n0\r\nX-Trailer: 1\rX")]
    public void Decode_BrokenFraming_Refused400(string text)
    {
        var (decoder, _) = NewDecoder();

        var refused = Assert.Throws<HttpRequestRejected>(() => decoder.Decode(Encoding.ASCII.GetBytes(text)));

        Assert.Equal(400, refused.Status);
        Assert.StartsWith("bad chunked body: ", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("400001\r\n")]
    [InlineData("fffffffffffffffffffffffffffffffff")]
    [InlineData("200001\r\n")]
    public void Decode_ChunksOverTheMaximum_Refused413BeforeTheirData(string announced)
    {
        var (decoder, body) = NewDecoder();
        // A first chunk of 2 MiB, then the announced one: 2 MiB more is already one byte too many together.
        var first = Chunked(Pattern(2 << 20), 2 << 20)[..^"0\r\nX-Trailer: yes\r\n\r\n".Length];
        decoder.Decode(first);

        var refused = Assert.Throws<HttpRequestRejected>(() => decoder.Decode(Encoding.ASCII.GetBytes(announced)));

        Assert.Equal(413, refused.Status);
        Assert.Equal(2 << 20, body.Length);
    }
}
