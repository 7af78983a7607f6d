using System.Text;

namespace Plexus.Core.Selection;

/// <summary>Linux interface-name rules (IFNAMSIZ - 1 bytes), as CNI checks <c>CNI_IFNAME</c>.</summary>
internal static class InterfaceNames
{
    public const int MaxLength = 15;

    /// <summary>Null when <paramref name="name"/> is usable, else why not.</summary>
    public static string? Problem(string name)
    {
        if (name.Length == 0)
        {
            return "interface name is empty";
        }
        if (Encoding.UTF8.GetByteCount(name) > MaxLength)
        {
            return $"interface name \"{name}\" is longer than {MaxLength} bytes";
        }
        if (name is "." or "..")
        {
            return $"interface name \"{name}\" is not allowed";
        }
        foreach (var c in name)
        {
            if (c is '/' or ':' || char.IsWhiteSpace(c))
            {
                return $"interface name \"{name}\" contains '/', ':' or whitespace";
            }
        }
        return null;
    }
}
