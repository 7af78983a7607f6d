using System.Text;

namespace Plexus.Daemon.Protocol;

/// <summary>The parts of an HTTP/1.1 response head the shim needs: status, where the body starts, how it is framed.</summary>
internal sealed record HttpResponseHead(int StatusCode, int BodyOffset, long? ContentLength, bool Chunked)
{
    private static ReadOnlySpan<byte> HeaderEnd => "\r\n\r\n"u8;

    /// <summary>Parses the head once <paramref name="data"/> holds all of it; null while more bytes are needed.</summary>
    /// <exception cref="FormatException">The bytes are not an HTTP/1.x response head.</exception>
    public static HttpResponseHead? TryParse(ReadOnlySpan<byte> data)
    {
        var end = data.IndexOf(HeaderEnd);
        if (end < 0)
        {
            return null;
        }
        var lines = Encoding.ASCII.GetString(data[..end]).Split("\r\n");
        var status = lines[0].Split(' ', 3);
        if (status.Length < 2 || !status[0].StartsWith("HTTP/1.", StringComparison.Ordinal)
            || status[1].Length != 3 || !int.TryParse(status[1], out var code))
        {
            throw new FormatException($"not an HTTP/1.x status line: \"{lines[0]}\"");
        }
        long? length = null;
        var chunked = false;
        foreach (var line in lines.AsSpan(1))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0)
            {
                throw new FormatException($"malformed HTTP header line: \"{line}\"");
            }
            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                length = long.TryParse(value, out var n) && n >= 0
                    ? n
                    : throw new FormatException($"invalid Content-Length \"{value}\"");
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                chunked = value.EndsWith("chunked", StringComparison.OrdinalIgnoreCase);
            }
        }
        return new HttpResponseHead(code, end + HeaderEnd.Length, chunked ? null : length, chunked);
    }
}
