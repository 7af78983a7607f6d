using System.Globalization;
using System.Text;

namespace Plexus.Http;

/// <summary>
/// Reads one HTTP/1.1 response from a stream: status line, headers, and a body framed by
/// Content-Length, chunked transfer coding, or the end of the connection. Whole bodies only.
/// </summary>
/// <param name="maxBodyBytes">A larger answer is refused rather than buffered.</param>
public sealed class Http11ResponseReader(Stream stream, int maxBodyBytes)
{
    public const int MaxHeadBytes = 64 * 1024;

    private readonly byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    /// <summary>Bytes received so far; none means the peer closed or failed before answering.</summary>
    public long BytesReceived { get; private set; }

    /// <summary>The response to a request with <paramref name="method"/> (a HEAD answer has no body).</summary>
    /// <exception cref="InvalidDataException">The answer is not well-formed HTTP/1.1, or too large.</exception>
    /// <exception cref="IOException">The connection failed or ended early.</exception>
    public Http11Response Read(string method)
    {
        var headBytes = 0;
        while (true)
        {
            var (minorVersion, status, reason) = StatusLine(ReadLine(ref headBytes));
            var headers = new List<KeyValuePair<string, string>>();
            for (var line = ReadLine(ref headBytes); line.Length > 0; line = ReadLine(ref headBytes))
            {
                var colon = line.IndexOf(':');
                if (colon <= 0 || line.AsSpan(0, colon).ContainsAny(' ', '\t'))
                {
                    throw Malformed($"header line \"{Printable(line)}\"");
                }
                headers.Add(new(line[..colon], line[(colon + 1)..].Trim(' ', '\t')));
            }
            if (status is >= 100 and < 200)
            {
                continue; // interim (100 Continue, 103 Early Hints): the final answer follows
            }
            var (body, delimitedByClose) = Body(method, status, headers);
            return new Http11Response
            {
                StatusCode = status,
                ReasonPhrase = reason,
                MinorVersion = minorVersion,
                Headers = headers,
                Body = body,
                KeepAlive = !delimitedByClose && minorVersion == 1 && _start == _end
                    && !headers.Any(h => h.Key.Equals("Connection", StringComparison.OrdinalIgnoreCase) && h.Value.Contains("close", StringComparison.OrdinalIgnoreCase)),
            };
        }
    }

    private static (int MinorVersion, int Status, string Reason) StatusLine(string line)
    {
        // HTTP/1.x SP 3DIGIT SP reason
        if (line.Length < 12 || !line.StartsWith("HTTP/1.", StringComparison.Ordinal) || line[8] != ' '
            || !int.TryParse(line.AsSpan(9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var status) || status < 100
            || line.Length > 12 && line[12] != ' ')
        {
            throw Malformed($"status line \"{Printable(line)}\"");
        }
        var minorVersion = line[7] switch
        {
            '1' => 1,
            '0' => 0,
            _ => throw Malformed($"status line \"{Printable(line)}\""),
        };
        return (minorVersion, status, line.Length > 13 ? line[13..] : "");
    }

    private (byte[] Body, bool DelimitedByClose) Body(string method, int status, List<KeyValuePair<string, string>> headers)
    {
        if (method == "HEAD" || status is 204 or 304)
        {
            return ([], false);
        }
        var transferEncoding = Header(headers, "Transfer-Encoding");
        if (transferEncoding is not null)
        {
            return transferEncoding.Split(',', StringSplitOptions.TrimEntries)[^1].Equals("chunked", StringComparison.OrdinalIgnoreCase)
                ? (Chunked(), false)
                : (ToEnd(), true);
        }
        var contentLength = Header(headers, "Content-Length");
        if (contentLength is null)
        {
            return (ToEnd(), true);
        }
        if (!long.TryParse(contentLength, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            throw Malformed($"Content-Length \"{Printable(contentLength)}\"");
        }
        var body = new byte[CheckedSize(length)];
        ReadExactly(body);
        return (body, false);
    }

    private byte[] Chunked()
    {
        using var body = new MemoryStream();
        var lineBytes = 0;
        while (true)
        {
            var sizeLine = ReadLine(ref lineBytes);
            var sizeText = sizeLine.AsSpan(0, sizeLine.IndexOf(';') is var semicolon and >= 0 ? semicolon : sizeLine.Length).Trim(' ');
            if (!long.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0)
            {
                throw Malformed($"chunk size \"{Printable(sizeLine)}\"");
            }
            if (size == 0)
            {
                while (ReadLine(ref lineBytes).Length > 0)
                {
                    // trailer fields are not used
                }
                return body.ToArray();
            }
            var chunk = new byte[CheckedSize(body.Length + size) - body.Length];
            ReadExactly(chunk);
            body.Write(chunk);
            if (ReadLine(ref lineBytes).Length != 0)
            {
                throw Malformed("chunk not followed by CRLF");
            }
        }
    }

    private byte[] ToEnd()
    {
        using var body = new MemoryStream();
        do
        {
            CheckedSize(body.Length + _end - _start);
            body.Write(_buffer, _start, _end - _start);
            _start = _end;
        }
        while (Fill());
        return body.ToArray();
    }

    private int CheckedSize(long size) => size <= maxBodyBytes
        ? (int)size
        : throw new InvalidDataException($"the answer is larger than {maxBodyBytes} bytes");

    private static string? Header(List<KeyValuePair<string, string>> headers, string name) =>
        headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    private string ReadLine(ref int consumed)
    {
        var line = new StringBuilder();
        while (true)
        {
            if (_start == _end && !Fill())
            {
                throw new EndOfStreamException("the server closed the connection in the middle of an answer");
            }
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            var end = newline < 0 ? _end : newline;
            consumed += end - _start + 1;
            if (consumed > MaxHeadBytes)
            {
                throw new InvalidDataException($"the answer has a header section or line longer than {MaxHeadBytes / 1024} KiB");
            }
            line.Append(Encoding.Latin1.GetString(_buffer, _start, end - _start));
            if (newline >= 0)
            {
                _start = newline + 1;
                return line.Length > 0 && line[^1] == '\r' ? line.ToString(0, line.Length - 1) : line.ToString();
            }
            _start = _end;
        }
    }

    private void ReadExactly(Span<byte> destination)
    {
        while (destination.Length > 0)
        {
            if (_start == _end && !Fill())
            {
                throw new EndOfStreamException("the server closed the connection in the middle of an answer");
            }
            var n = Math.Min(destination.Length, _end - _start);
            _buffer.AsSpan(_start, n).CopyTo(destination);
            _start += n;
            destination = destination[n..];
        }
    }

    private bool Fill()
    {
        _start = 0;
        _end = stream.Read(_buffer);
        BytesReceived += _end;
        return _end > 0;
    }

    private static InvalidDataException Malformed(string what) => new($"the answer is not valid HTTP/1.1: {what}");

    private static string Printable(string text) => text.Length > 80 ? string.Concat(text.AsSpan(0, 80), "…") : text;
}
