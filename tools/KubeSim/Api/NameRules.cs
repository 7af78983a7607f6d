using Plexus.KubeSim.Discovery;

namespace Plexus.KubeSim.Api;

/// <summary>Object name rules: DNS-1123 labels for namespaces, path-segment names for RBAC, subdomains otherwise.</summary>
internal static class NameRules
{
    public static bool IsValid(ResourceType type, string name, out string problem)
    {
        if (type.Group == "rbac.authorization.k8s.io")
        {
            problem = "may not contain '/' or '%' and may not be '.' or '..'";
            return name is not ("." or "..") && !name.Contains('/') && !name.Contains('%');
        }
        if (type.Kind == "Namespace")
        {
            problem = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', " +
                "and must start and end with an alphanumeric character";
            return name.Length <= 63 && IsLabel(name);
        }
        problem = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', " +
            "and must start and end with an alphanumeric character";
        return name.Length <= 253 && name.Split('.').All(IsLabel);
    }

    private static bool IsLabel(string part) =>
        part.Length is > 0 and <= 63 && char.IsAsciiLetterOrDigit(part[0]) && char.IsAsciiLetterOrDigit(part[^1])
        && part.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
}
