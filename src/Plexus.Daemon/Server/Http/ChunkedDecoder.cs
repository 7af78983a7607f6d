namespace Plexus.Daemon.Server.Http;

/// <summary>
/// Decodes a chunked request body (RFC 9112 §7.1) as its bytes arrive: the parse position is kept between reads, so
/// every byte is looked at once and every chunk's data appended to the body once, however the body is split into
/// reads. Chunk extensions and trailer fields are skipped.
/// </summary>
internal sealed class ChunkedDecoder(RequestBody body)
{
    /// <summary>Where in the framing the next byte falls.</summary>
    private enum Part
    {
        Size,
        Extension,
        SizeLineEnd,
        Data,
        DataEnd,
        DataLineEnd,
        TrailerLineStart,
        TrailerLine,
        TrailerLineEnd,
        LastLineEnd,
        Done,
    }

    private Part _part = Part.Size;
    private int _sizeDigits;

    /// <summary>The size of the chunk being announced, then the bytes of its data still to come.</summary>
    private long _chunk;

    /// <summary>The last chunk and the trailer section's blank line have arrived.</summary>
    public bool IsComplete => _part == Part.Done;

    /// <summary>Takes the framing and data in <paramref name="input"/>, up to the body's end.</summary>
    /// <returns>How many bytes it took: all of them until the body is complete; what follows its end is not taken.</returns>
    /// <exception cref="HttpRequestRejected">400: broken framing; 413: the body grows beyond its maximum.</exception>
    public int Decode(ReadOnlySpan<byte> input)
    {
        var taken = 0;
        while (taken < input.Length && _part != Part.Done)
        {
            if (_part == Part.Data)
            {
                var data = (int)Math.Min(_chunk, input.Length - taken);
                body.Append(input.Slice(taken, data));
                taken += data;
                _chunk -= data;
                _part = _chunk == 0 ? Part.DataEnd : Part.Data;
                continue;
            }
            _part = Next(input[taken++]);
        }
        return taken;
    }

    private Part Next(byte next) => _part switch
    {
        Part.Size => SizeDigit(next),
        Part.Extension => next == '\r' ? Part.SizeLineEnd : Part.Extension,
        Part.SizeLineEnd => next == '\n' ? ChunkStarts() : throw Broken("a chunk size line does not end with CRLF"),
        Part.DataEnd => next == '\r' ? Part.DataLineEnd : throw Broken("chunk data is not followed by CRLF"),
        Part.DataLineEnd => next == '\n' ? Part.Size : throw Broken("chunk data is not followed by CRLF"),
        // The trailer section: field lines until a blank one.
        Part.TrailerLineStart => next == '\r' ? Part.LastLineEnd : Part.TrailerLine,
        Part.TrailerLine => next == '\r' ? Part.TrailerLineEnd : Part.TrailerLine,
        Part.TrailerLineEnd => next == '\n' ? Part.TrailerLineStart : throw Broken("a trailer line does not end with CRLF"),
        _ => next == '\n' ? Part.Done : throw Broken("the chunked body does not end with CRLF"),
    };

    private Part SizeDigit(byte next)
    {
        var digit = HexValue(next);
        if (digit >= 0)
        {
            _sizeDigits++;
            _chunk = (_chunk * 16) + digit;
            // Checked digit by digit, so an endless size cannot overflow.
            if (_chunk > RequestBody.MaxBytes)
            {
                throw RequestBody.TooLarge();
            }
            return Part.Size;
        }
        if (_sizeDigits == 0)
        {
            throw Broken("a chunk size is not a hex number");
        }
        return next switch
        {
            (byte)'\r' => Part.SizeLineEnd,
            // Whitespace is allowed before an extension's ";" (RFC 9112 §7.1.1).
            (byte)';' or (byte)' ' or (byte)'\t' => Part.Extension,
            _ => throw Broken("a chunk size is not a hex number"),
        };
    }

    private Part ChunkStarts()
    {
        _sizeDigits = 0;
        if (_chunk == 0)
        {
            return Part.TrailerLineStart;
        }
        body.Reserve(_chunk);
        return Part.Data;
    }

    private static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };

    private static HttpRequestRejected Broken(string what) => new(400, $"bad chunked body: {what}");
}
