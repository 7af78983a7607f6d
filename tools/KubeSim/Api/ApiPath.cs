namespace Plexus.KubeSim.Api;

/// <summary>
/// A resource URL split into its parts: <c>/api/v1/namespaces/{ns}/pods/{name}/status</c>,
/// <c>/apis/{group}/{version}/{resource}</c>, and so on. The namespace object itself lives at
/// <c>/api/v1/namespaces/{name}[/status]</c>.
/// </summary>
internal sealed record ApiPath(string Group, string Version, string? Namespace, string Resource, string? Name, string? Subresource)
{
    public static ApiPath? Parse(string path)
    {
        var parts = path.Trim('/').Split('/');
        int rest;
        string group;
        string version;
        if (parts.Length >= 3 && parts[0] == "api")
        {
            (group, version, rest) = ("", parts[1], 2);
        }
        else if (parts.Length >= 4 && parts[0] == "apis")
        {
            (group, version, rest) = (parts[1], parts[2], 3);
        }
        else
        {
            return null;
        }
        var segments = parts[rest..];
        if (segments.Any(s => s.Length == 0))
        {
            return null;
        }
        if (segments[0] == "namespaces" && segments.Length >= 3 && !(segments.Length == 3 && segments[2] is "status" or "finalize"))
        {
            return segments.Length > 5 ? null : new ApiPath(group, version, segments[1], segments[2], At(segments, 3), At(segments, 4));
        }
        return segments.Length > 3 ? null : new ApiPath(group, version, null, segments[0], At(segments, 1), At(segments, 2));
    }

    private static string? At(string[] segments, int index) => index < segments.Length ? Uri.UnescapeDataString(segments[index]) : null;
}
