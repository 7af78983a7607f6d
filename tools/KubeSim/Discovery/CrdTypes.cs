using System.Text.Json.Nodes;

namespace Plexus.KubeSim.Discovery;

/// <summary>Reads a CustomResourceDefinition into the resource types it serves.</summary>
internal static class CrdTypes
{
    public static IEnumerable<ResourceType> From(JsonObject crd)
    {
        var spec = crd["spec"] as JsonObject;
        var names = spec?["names"] as JsonObject;
        var group = Text(spec?["group"]);
        var plural = Text(names?["plural"]);
        var kind = Text(names?["kind"]);
        if (spec?["versions"] is not JsonArray versions || group.Length == 0 || plural.Length == 0 || kind.Length == 0)
        {
            yield break;
        }
        var singular = Text(names?["singular"]);
        foreach (var version in versions.OfType<JsonObject>())
        {
            if (!Api.ObjectLifecycle.IsTrue(version["served"]))
            {
                continue;
            }
            yield return new ResourceType
            {
                Group = group,
                Version = Text(version["name"]),
                Plural = plural,
                Singular = singular.Length > 0 ? singular : kind.ToLowerInvariant(),
                Kind = kind,
                Namespaced = Text(spec["scope"]) != "Cluster",
                ShortNames = Strings(names?["shortNames"]),
                Categories = Strings(names?["categories"]),
                HasStatus = version["subresources"]?["status"] is not null,
            };
        }
    }

    /// <summary>The validation a real API server does before accepting a CRD (the parts that matter here).</summary>
    public static IEnumerable<string> Validate(JsonObject crd)
    {
        var spec = crd["spec"] as JsonObject;
        var group = Text(spec?["group"]);
        var plural = Text(spec?["names"]?["plural"]);
        if (group.Length == 0) yield return "spec.group: Required value";
        if (plural.Length == 0) yield return "spec.names.plural: Required value";
        if (Text(spec?["names"]?["kind"]).Length == 0) yield return "spec.names.kind: Required value";
        if (Text(spec?["scope"]) is not ("Namespaced" or "Cluster"))
            yield return "spec.scope: Unsupported value: must be Namespaced or Cluster";
        if (spec?["versions"] is not JsonArray { Count: > 0 } versions)
        {
            yield return "spec.versions: Invalid value: must have exactly one version marked as storage version";
        }
        else if (versions.Count(v => Api.ObjectLifecycle.IsTrue(v?["storage"])) != 1)
        {
            yield return "spec.versions: Invalid value: must have exactly one version marked as storage version";
        }
        var name = Text(crd["metadata"]?["name"]);
        if (name != $"{plural}.{group}")
            yield return $"metadata.name: Invalid value: \"{name}\": must be spec.names.plural+\".\"+spec.group";
    }

    private static string Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : "";

    private static string[] Strings(JsonNode? node) =>
        node is JsonArray array ? [.. array.Select(Text).Where(s => s.Length > 0)] : [];
}
