using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Plexus.Cni;

/// <summary>
/// Strict textual IP and CIDR parsing, as Go's net.ParseIP/ParseCIDR accept them (plugins and
/// runtimes are Go): IPv4 only as a decimal dotted quad, no IPv6 zone. CNI addresses are
/// "IP/prefix" with host bits allowed ("10.1.0.5/24"), so <see cref="IPNetwork"/> (which rejects
/// host bits) does not fit.
/// </summary>
public static class IpText
{
    public static bool TryParseCidr(string? text, out IPAddress address, out int prefix)
    {
        address = IPAddress.None;
        prefix = -1;
        var slash = text?.IndexOf('/') ?? -1;
        if (slash <= 0
            || !TryParseIp(text.AsSpan(0, slash), out var parsed)
            || text!.Length - slash - 1 is 0 or > 3
            || !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out prefix)
            || prefix > (parsed.AddressFamily == AddressFamily.InterNetwork ? 32 : 128))
        {
            return false;
        }
        address = parsed;
        return true;
    }

    /// <summary>
    /// A plain IPv4 dotted quad or IPv6 address, as strict as Go's net.ParseIP: no zone, and none of
    /// the shortened IPv4 forms ("10", "10.1") that <see cref="IPAddress.TryParse(string?, out IPAddress?)"/> accepts.
    /// </summary>
    public static bool TryParseIp(ReadOnlySpan<char> text, out IPAddress address)
    {
        address = IPAddress.None;
        if (text.Contains('%') || !IPAddress.TryParse(text, out var parsed))
        {
            return false;
        }
        if (parsed.AddressFamily == AddressFamily.InterNetwork && (text.Count('.') != 3 || !IsDecimalQuad(text)))
        {
            return false;
        }
        address = parsed;
        return true;
    }

    /// <summary>Either an address or a CIDR, as the <c>ips</c> selection key accepts.</summary>
    public static bool IsAddressOrCidr(string text) =>
        text.Contains('/') ? TryParseCidr(text, out _, out _) : TryParseIp(text, out _);

    /// <summary>The family of a CIDR as the result's <c>version</c> string; IPv4-mapped IPv6 counts as 4, as in Go.</summary>
    internal static string FamilyOfCidr(string cidr) =>
        TryParseCidr(cidr, out var address, out _) && IsV4(address) ? "4" : "6";

    public static bool IsV4(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetwork || address.IsIPv4MappedToIPv6;

    internal static void RequireCidr(string? text, string field)
    {
        if (!TryParseCidr(text, out _, out _))
        {
            throw CniException.Decode($"invalid result: {field} \"{text}\" is not an address/prefix (e.g. 10.1.0.5/24)");
        }
    }

    internal static void RequireIpOrNull(string? text, string field)
    {
        if (text is not null && !TryParseIp(text, out _))
        {
            throw CniException.Decode($"invalid result: {field} \"{text}\" is not an IP address");
        }
    }

    private static bool IsDecimalQuad(ReadOnlySpan<char> text)
    {
        foreach (var range in text.Split('.'))
        {
            var part = text[range];
            if (part.Length is 0 or > 3 || !int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > 255)
            {
                return false;
            }
        }
        return true;
    }
}
