using System.Globalization;
using System.Text;

namespace Plexus.Daemon.Server.Http;

/// <summary>Decodes a chunked request body (RFC 9112 §7.1); extensions and trailers are ignored.</summary>
internal static class ChunkedBody
{
    /// <summary>Returns the decoded body, or null while the terminating zero-size chunk has not arrived.</summary>
    /// <exception cref="FormatException">The framing is broken.</exception>
    public static byte[]? TryDecode(ReadOnlySpan<byte> data)
    {
        var output = new List<byte>(data.Length);
        var pos = 0;
        while (true)
        {
            var lineEnd = data[pos..].IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                return null;
            }
            var sizeText = Encoding.ASCII.GetString(data.Slice(pos, lineEnd)).Split(';')[0].Trim();
            if (!int.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0)
            {
                throw new FormatException($"invalid chunk size \"{sizeText}\"");
            }
            pos += lineEnd + 2;
            if (size == 0)
            {
                return [.. output];
            }
            if (data.Length < pos + size + 2)
            {
                return null;
            }
            if (!data.Slice(pos + size, 2).SequenceEqual("\r\n"u8))
            {
                throw new FormatException("chunk data is not followed by CRLF");
            }
            output.AddRange(data.Slice(pos, size));
            pos += size + 2;
        }
    }
}
