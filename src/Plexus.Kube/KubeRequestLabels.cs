namespace Plexus.Kube;

/// <summary>
/// The verb and resource a request to the API server is counted under in the <c>plexus_kube_api_*</c> metrics, read
/// from its method and relative URI as the API server itself names requests in its audit log and RBAC rules: get, list,
/// watch, create, update, patch, delete, deletecollection; <c>resource</c> or <c>resource/subresource</c>, without the
/// API group (the labels stay short, and Plexus touches no two resources of one name).
/// </summary>
/// <param name="Resource">Empty for a path that names no resource (discovery, /version), as the API server leaves it.</param>
internal readonly record struct KubeRequestLabels(string Verb, string Resource)
{
    /// <param name="relativeUri">The path below the server's URL, with or without a leading slash and query.</param>
    public static KubeRequestLabels Of(HttpMethod method, string relativeUri)
    {
        var queryStart = relativeUri.IndexOf('?');
        var path = queryStart < 0 ? relativeUri : relativeUri[..queryStart];
        var query = queryStart < 0 ? "" : relativeUri[(queryStart + 1)..];
        if (ResourceParts(path.Trim('/').Split('/')) is not { } parts)
        {
            return new KubeRequestLabels(method.Method.ToLowerInvariant(), "");
        }
        var named = parts.Length > 1;
        var resource = parts.Length > 2 ? parts[0] + "/" + parts[2] : parts[0];
        return new KubeRequestLabels(VerbOf(method, named, IsWatch(query)), resource);
    }

    // [resource, name?, subresource?] from api/VERSION/... or apis/GROUP/VERSION/..., optionally under namespaces/NS.
    private static string[]? ResourceParts(string[] segments)
    {
        var versionEnd = segments[0] switch
        {
            "api" => 2,
            "apis" => 3,
            _ => int.MaxValue,
        };
        if (segments.Length <= versionEnd)
        {
            return null;
        }
        var parts = segments[versionEnd..];
        // namespaces/NS/status and namespaces/NS/finalize are the namespace's own subresources.
        var inNamespace = parts is ["namespaces", _, not ("status" or "finalize"), ..];
        return inNamespace ? parts[2..] : parts;
    }

    private static string VerbOf(HttpMethod method, bool named, bool watch) => method.Method switch
    {
        "GET" when !named => watch ? "watch" : "list",
        "GET" => "get",
        "POST" => "create",
        "PUT" => "update",
        "PATCH" => "patch",
        "DELETE" => named ? "delete" : "deletecollection",
        _ => method.Method.ToLowerInvariant(),
    };

    private static bool IsWatch(string query)
    {
        foreach (var pair in query.Split('&'))
        {
            if (pair.StartsWith("watch=", StringComparison.Ordinal))
            {
                var value = pair["watch=".Length..];
                return value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase);
            }
        }
        return false;
    }
}
