using System.Text;
using System.Text.Encodings.Web;

namespace Plexus.Cni.Json;

/// <summary>
/// JSON string escaping as Go's encoding/json does it with HTML escaping off: only the quotation
/// mark, the backslash and control characters below U+0020 are escaped; everything else, non-ASCII
/// included, is written as it is. The built-in encoders build a table of every defined Unicode
/// character when first used, a few hundred microseconds in every CNI process (VERSION included);
/// this one needs no table.
/// </summary>
public sealed unsafe class MinimalJsonEncoder : JavaScriptEncoder
{
    public static MinimalJsonEncoder Instance { get; } = new();

    private MinimalJsonEncoder()
    {
    }

    /// <summary>The longest escape: <c>\u001F</c>.</summary>
    public override int MaxOutputCharactersPerInputCharacter => 6;

    public override bool WillEncode(int unicodeScalar) => unicodeScalar is < 0x20 or '"' or '\\';

    public override int FindFirstCharacterToEncode(char* text, int textLength)
    {
        for (var i = 0; i < textLength; i++)
        {
            if (WillEncode(text[i]))
            {
                return i;
            }
        }
        return -1;
    }

    // Every escaped character is ASCII, so the UTF-8 bytes can be scanned one by one (multi-byte sequences are >= 0x80).
    public override int FindFirstCharacterToEncodeUtf8(ReadOnlySpan<byte> utf8Text)
    {
        for (var i = 0; i < utf8Text.Length; i++)
        {
            if (WillEncode(utf8Text[i]))
            {
                return i;
            }
        }
        return -1;
    }

    public override bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        var escape = unicodeScalar switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\b' => "\\b",
            '\f' => "\\f",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            < 0x20 => $"\\u{unicodeScalar:X4}",
            _ => null,
        };
        if (escape is null)
        {
            // Not escaped: the scalar itself (one or two UTF-16 code units).
            return new Rune(unicodeScalar).TryEncodeToUtf16(new Span<char>(buffer, bufferLength), out numberOfCharactersWritten);
        }
        if (escape.Length > bufferLength)
        {
            numberOfCharactersWritten = 0;
            return false;
        }
        escape.CopyTo(new Span<char>(buffer, bufferLength));
        numberOfCharactersWritten = escape.Length;
        return true;
    }
}
