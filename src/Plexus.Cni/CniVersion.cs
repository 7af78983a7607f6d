using System.Diagnostics.CodeAnalysis;

namespace Plexus.Cni;

/// <summary>A CNI specification version (major.minor.patch), ordered semantically.</summary>
public readonly record struct CniVersion(int Major, int Minor, int Patch) : IComparable<CniVersion>
{
    public static readonly CniVersion V010 = new(0, 1, 0);
    public static readonly CniVersion V020 = new(0, 2, 0);
    public static readonly CniVersion V030 = new(0, 3, 0);
    public static readonly CniVersion V031 = new(0, 3, 1);
    public static readonly CniVersion V040 = new(0, 4, 0);
    public static readonly CniVersion V100 = new(1, 0, 0);
    public static readonly CniVersion V110 = new(1, 1, 0);

    /// <summary>Every version Plexus speaks, oldest first.</summary>
    public static IReadOnlyList<CniVersion> Supported { get; } = [V010, V020, V030, V031, V040, V100, V110];

    public static CniVersion Latest => V110;

    /// <summary>CHECK exists from 0.4.0 on.</summary>
    public bool SupportsCheck => this >= V040;

    /// <summary>GC and STATUS exist from 1.1.0 on.</summary>
    public bool SupportsGcAndStatus => this >= V110;

    public bool IsSupported => Supported.Contains(this);

    /// <summary>
    /// Parses the canonical text "X.Y.Z" (decimal digits, no leading zeros, no sign or spaces); an empty string
    /// means 0.1.0, as libcni assumes for configs without cniVersion. Only text that <see cref="ToString"/> gives back
    /// unchanged is accepted: libcni matches versions as exact strings, so "1.01.0" is not 1.1.0 and must not be
    /// answered, cached or relabelled as if it were.
    /// </summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out CniVersion version)
    {
        version = default;
        if (text is null)
        {
            return false;
        }
        if (text.Length == 0)
        {
            version = V010;
            return true;
        }
        var parts = text.Split('.');
        if (parts.Length != 3
            || !TryParsePart(parts[0], out var major)
            || !TryParsePart(parts[1], out var minor)
            || !TryParsePart(parts[2], out var patch))
        {
            return false;
        }
        version = new CniVersion(major, minor, patch);
        return true;
    }

    /// <summary>Parses a version or throws the spec's decode error naming the bad text.</summary>
    public static CniVersion Parse(string? text) =>
        TryParse(text, out var version)
            ? version
            : throw CniException.Decode($"invalid cniVersion \"{text}\": expected major.minor.patch");

    public int CompareTo(CniVersion other) =>
        Major != other.Major ? Major.CompareTo(other.Major)
        : Minor != other.Minor ? Minor.CompareTo(other.Minor)
        : Patch.CompareTo(other.Patch);

    public static bool operator <(CniVersion a, CniVersion b) => a.CompareTo(b) < 0;
    public static bool operator >(CniVersion a, CniVersion b) => a.CompareTo(b) > 0;
    public static bool operator <=(CniVersion a, CniVersion b) => a.CompareTo(b) <= 0;
    public static bool operator >=(CniVersion a, CniVersion b) => a.CompareTo(b) >= 0;

    public override string ToString() => $"{Major}.{Minor}.{Patch}";

    /// <summary>Longest part accepted: nine digits always fit an int.</summary>
    private const int MaxPartDigits = 9;

    private static bool TryParsePart(string part, out int value)
    {
        value = 0;
        if (part.Length is 0 or > MaxPartDigits || (part.Length > 1 && part[0] == '0'))
        {
            return false;
        }
        foreach (var c in part)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
            value = (value * 10) + (c - '0');
        }
        return true;
    }
}
