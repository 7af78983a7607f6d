using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Plexus.KubeSim.Discovery;

/// <summary>
/// Just enough OpenAPI v3 for kubectl: the index of group-version documents, and per group-version
/// the PATCH operations with their GVK and query parameters. kubectl reads them to see that the
/// server validates fields itself (<c>fieldValidation</c>), so it needs no schemas. No strategic
/// merge patch body is advertised, so kubectl apply computes patches from its built-in types
/// (JSON merge patch for custom resources). OpenAPI v2 is not served (404).
/// </summary>
internal static class OpenApiDocuments
{
    private static readonly string[] PatchParameters = ["dryRun", "fieldManager", "fieldValidation", "force", "pretty"];
    private static readonly string[] PatchTypes = ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"];

    /// <summary>The document for <c>/openapi/...</c> path parts after "openapi", or null (404).</summary>
    public static JsonObject? Document(ResourceCatalog catalog, string kubernetesVersion, string[] parts) => parts switch
    {
        ["v3"] => Index(catalog),
        ["v3", "api", var version] => GroupVersion(catalog, kubernetesVersion, "", version),
        ["v3", "apis", var group, var version] => GroupVersion(catalog, kubernetesVersion, group, version),
        _ => null,
    };

    private static JsonObject Index(ResourceCatalog catalog)
    {
        var paths = new JsonObject();
        foreach (var (group, versions) in catalog.Groups())
        {
            foreach (var version in versions)
            {
                var key = group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";
                var hash = Hash(string.Join(",", catalog.ResourcesIn(group, version).Select(t => t.Kind + t.Plural + t.Namespaced)));
                paths[key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{key}?hash={hash}" };
            }
        }
        return new JsonObject { ["paths"] = paths };
    }

    private static JsonObject? GroupVersion(ResourceCatalog catalog, string kubernetesVersion, string group, string version)
    {
        var types = catalog.ResourcesIn(group, version).ToList();
        if (types.Count == 0) return null;
        var paths = new JsonObject();
        foreach (var type in types.Where(t => !t.IsReview))
        {
            var prefix = group.Length == 0 ? $"/api/{version}" : $"/apis/{group}/{version}";
            var path = type.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{type.Plural}/{{name}}" : $"{prefix}/{type.Plural}/{{name}}";
            paths[path] = new JsonObject { ["patch"] = PatchOperation(type) };
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = kubernetesVersion },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
        };
    }

    private static JsonObject PatchOperation(ResourceType type) => new()
    {
        ["operationId"] = $"patch{type.Kind}",
        ["parameters"] = new JsonArray([.. PatchParameters.Select(p => (JsonNode)new JsonObject
        {
            ["name"] = p,
            ["in"] = "query",
            ["schema"] = new JsonObject { ["type"] = p == "force" ? "boolean" : "string" },
        })]),
        ["requestBody"] = new JsonObject
        {
            ["content"] = new JsonObject(PatchTypes.Select(t => KeyValuePair.Create(t,
                (JsonNode?)new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } }))),
        },
        ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
        ["x-kubernetes-action"] = "patch",
        ["x-kubernetes-group-version-kind"] = new JsonObject
        {
            ["group"] = type.Group,
            ["version"] = type.Version,
            ["kind"] = type.Kind,
        },
    };

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
}
