using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Plexus.Core.Selection;

/// <summary>
/// Strict textual IP and CIDR parsing, as Go's net.ParseIP/ParseCIDR accept them:
/// IPv4 only as four decimal octets (IPAddress.TryParse alone would take "1" or "0x7f.1"),
/// no IPv6 scope ids.
/// </summary>
internal static class IpText
{
    public static bool TryParseAddress(string text, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (text.Contains('%') || !IPAddress.TryParse(text, out var parsed))
        {
            return false;
        }
        if (parsed.AddressFamily == AddressFamily.InterNetwork && !IsDottedQuad(text))
        {
            return false;
        }
        address = parsed;
        return true;
    }

    public static bool TryParseCidr(string text, [NotNullWhen(true)] out IPAddress? address, out int prefix)
    {
        address = null;
        prefix = 0;
        var slash = text.IndexOf('/');
        if (slash < 0 || !TryParseAddress(text[..slash], out var parsed))
        {
            return false;
        }
        var max = parsed.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefixText = text[(slash + 1)..];
        if (prefixText.Length is 0 or > 3
            || !int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out prefix)
            || prefix > max)
        {
            return false;
        }
        address = parsed;
        return true;
    }

    /// <summary>Accepts either an address or a CIDR, as the <c>ips</c> selection key does.</summary>
    public static bool IsAddressOrCidr(string text) =>
        text.Contains('/') ? TryParseCidr(text, out _, out _) : TryParseAddress(text, out _);

    private static bool IsDottedQuad(string text)
    {
        var parts = text.Split('.');
        return parts.Length == 4 && parts.All(p =>
            p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit)
            && int.Parse(p, CultureInfo.InvariantCulture) <= 255);
    }
}
