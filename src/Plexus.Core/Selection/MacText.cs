namespace Plexus.Core.Selection;

/// <summary>
/// Hardware addresses in the forms Go's net.ParseMAC accepts: EUI-48, EUI-64 and 20-octet
/// InfiniBand, written with ':' or '-' between octets or '.' between groups of four digits.
/// </summary>
internal static class MacText
{
    private static readonly int[] OctetCounts = [6, 8, 20];

    public static bool IsValid(string text)
    {
        if (text.Length >= 14 && text[4] == '.')
        {
            var groups = text.Split('.');
            return OctetCounts.Contains(groups.Length * 2) && groups.All(g => g.Length == 4 && g.All(char.IsAsciiHexDigit));
        }
        if (text.Length < 3 || (text[2] != ':' && text[2] != '-'))
        {
            return false;
        }
        var octets = text.Split(text[2]);
        return OctetCounts.Contains(octets.Length) && octets.All(o => o.Length == 2 && o.All(char.IsAsciiHexDigit));
    }
}
