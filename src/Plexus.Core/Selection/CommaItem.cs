using System.Diagnostics.CodeAnalysis;
using Plexus.Cni;

namespace Plexus.Core.Selection;

/// <summary>
/// One <c>[namespace/]name[@ifname]</c> item of the comma form. As upstream, an empty namespace
/// (<c>/name</c>) is the pod's and an empty interface (<c>name@</c>) is the default <c>net&lt;i&gt;</c>.
/// </summary>
internal static class CommaItem
{
    public static bool TryParse(string item, [NotNullWhen(true)] out NetworkSelection? selection, [NotNullWhen(false)] out string? problem)
    {
        selection = null;
        var slashParts = item.Split('/');
        if (slashParts.Length > 2)
        {
            problem = "more than one '/': expected [namespace/]name[@ifname]";
            return false;
        }
        var ns = slashParts.Length == 2 ? NullIfEmpty(slashParts[0].Trim()) : null;
        var atParts = slashParts[^1].Split('@');
        if (atParts.Length > 2)
        {
            problem = "more than one '@': expected [namespace/]name[@ifname]";
            return false;
        }
        var name = atParts[0].Trim();
        var ifName = atParts.Length == 2 ? NullIfEmpty(atParts[1].Trim()) : null;
        problem = NameProblem("network name", name)
            ?? (ns is null ? null : NameProblem("namespace", ns))
            ?? (ifName is null ? null : CniNames.IfNameProblem(ifName));
        if (problem is not null)
        {
            return false;
        }
        selection = new NetworkSelection { Name = name, Namespace = ns, Interface = ifName };
        return true;
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private static string? NameProblem(string what, string value) =>
        value.Length == 0 ? $"{what} is empty"
        : KubeNames.IsDns1123Label(value) ? null
        : $"{what} \"{value}\" is not a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63)";
}
