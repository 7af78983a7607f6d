using System.Text.RegularExpressions;

namespace Plexus.Core.Selection;

/// <summary>Kubernetes object-name rules used to validate network selections.</summary>
internal static partial class KubeNames
{
    /// <summary>A DNS-1123 label: namespaces, and network names in the comma form.</summary>
    public static bool IsDns1123Label(string value) => value.Length <= 63 && Label().IsMatch(value);

    /// <summary>A DNS-1123 subdomain: any object name, such as a NetworkAttachmentDefinition.</summary>
    public static bool IsDns1123Subdomain(string value) => value.Length <= 253 && Subdomain().IsMatch(value);

    // \z, not $: .NET's $ also matches before a final '\n', which would let "other\n" pass as a namespace (Go's $ does not).
    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Label();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Subdomain();
}
