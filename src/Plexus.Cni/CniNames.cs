using System.Text;

namespace Plexus.Cni;

/// <summary>The spec's rules for container ids, network names and interface names.</summary>
public static class CniNames
{
    public const int MaxIfNameBytes = 15;

    /// <summary><c>^[a-zA-Z0-9][a-zA-Z0-9_.\-]*$</c>: container ids and network names.</summary>
    public static bool IsValidId(string? text)
    {
        if (string.IsNullOrEmpty(text) || !char.IsAsciiLetterOrDigit(text[0]))
        {
            return false;
        }
        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '.' or '-'))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Why <paramref name="ifName"/> is not a valid interface name, or null when it is.</summary>
    public static string? IfNameProblem(string? ifName)
    {
        if (string.IsNullOrEmpty(ifName))
        {
            return "interface name is empty";
        }
        if (Encoding.UTF8.GetByteCount(ifName) > MaxIfNameBytes)
        {
            return $"interface name \"{ifName}\" is too long: at most {MaxIfNameBytes} bytes";
        }
        if (ifName is "." or "..")
        {
            return $"interface name \"{ifName}\" must not be . or ..";
        }
        foreach (var c in ifName)
        {
            if (c is '/' or ':' || char.IsWhiteSpace(c))
            {
                return $"interface name \"{ifName}\" must not contain '/', ':' or whitespace";
            }
            // The kernel reads names as C strings, and a NUL would make every file path built from it invalid.
            if (char.IsControl(c))
            {
                return $"interface name \"{ifName.ReplaceLineEndings(" ").Replace('\0', ' ')}\" must not contain control characters";
            }
        }
        return null;
    }
}
