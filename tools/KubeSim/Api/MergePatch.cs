using System.Text.Json.Nodes;

namespace Plexus.KubeSim.Api;

/// <summary>
/// JSON merge patch (RFC 7386) and the strategic merge patch the API server applies to built-in
/// types: lists with a known merge key merge element-wise, <c>$patch</c> directives apply,
/// <c>$setElementOrder</c>/<c>$retainKeys</c> hints are accepted and ignored.
/// </summary>
internal static class MergePatch
{
    // Lists the API server merges by key in a strategic merge patch (field name -> merge key).
    private static readonly Dictionary<string, string> MergeKeys = new(StringComparer.Ordinal)
    {
        ["containers"] = "name",
        ["initContainers"] = "name",
        ["ephemeralContainers"] = "name",
        ["volumes"] = "name",
        ["env"] = "name",
        ["volumeMounts"] = "mountPath",
        ["volumeDevices"] = "devicePath",
        ["ports"] = "containerPort",
        ["conditions"] = "type",
        ["imagePullSecrets"] = "name",
        ["ownerReferences"] = "uid",
        ["containerStatuses"] = "name",
        ["initContainerStatuses"] = "name",
        ["hostAliases"] = "ip",
        ["topologySpreadConstraints"] = "topologyKey",
        ["podIPs"] = "ip",
    };

    // Primitive lists whose strategic merge is a set union.
    private static readonly HashSet<string> MergedPrimitiveLists = ["finalizers"];

    public static JsonNode? Apply(JsonNode? target, JsonNode? patch, bool strategic)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }
        if (strategic && Directive(patchObject) == "replace")
        {
            var replacement = (JsonObject)patchObject.DeepClone();
            replacement.Remove("$patch");
            return replacement;
        }
        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : [];
        foreach (var (key, value) in patchObject)
        {
            if (strategic && key.StartsWith('$'))
            {
                if (key.StartsWith("$deleteFromPrimitiveList/", StringComparison.Ordinal))
                {
                    RemoveValues(result, key["$deleteFromPrimitiveList/".Length..], value);
                }
                continue;
            }
            if (value is null)
            {
                result.Remove(key);
            }
            else if (strategic && value is JsonObject { } child && Directive(child) == "delete")
            {
                result.Remove(key);
            }
            else if (strategic && value is JsonArray list && result[key] is JsonArray existing)
            {
                result[key] = MergeList(key, existing, list);
            }
            else
            {
                result[key] = Apply(result[key], value, strategic);
            }
        }
        return result;
    }

    private static JsonArray MergeList(string field, JsonArray existing, JsonArray patch)
    {
        if (MergedPrimitiveLists.Contains(field))
        {
            var union = existing.Select(n => n?.ToJsonString()).ToHashSet();
            var merged = (JsonArray)existing.DeepClone();
            foreach (var item in patch.Where(i => union.Add(i?.ToJsonString()))) merged.Add(item?.DeepClone());
            return merged;
        }
        if (!MergeKeys.TryGetValue(field, out var mergeKey) || patch.Any(i => i is not JsonObject))
        {
            return (JsonArray)patch.DeepClone();
        }
        if (patch.OfType<JsonObject>().Any(i => Directive(i) == "replace"))
        {
            return new JsonArray([.. patch.OfType<JsonObject>().Where(i => Directive(i) != "replace").Select(i => i.DeepClone())]);
        }
        var result = new List<JsonNode?>(existing.Select(i => i?.DeepClone()));
        foreach (var item in patch.OfType<JsonObject>())
        {
            var key = item[mergeKey]?.ToJsonString();
            var at = result.FindIndex(e => e is JsonObject o && o[mergeKey]?.ToJsonString() == key);
            if (Directive(item) == "delete")
            {
                if (at >= 0) result.RemoveAt(at);
            }
            else if (at >= 0)
            {
                result[at] = Apply(result[at], item, strategic: true);
            }
            else
            {
                result.Add(Apply(null, item, strategic: true));
            }
        }
        return new JsonArray([.. result]);
    }

    private static void RemoveValues(JsonObject target, string field, JsonNode? values)
    {
        if (target[field] is not JsonArray list || values is not JsonArray remove) return;
        var drop = remove.Select(v => v?.ToJsonString()).ToHashSet();
        target[field] = new JsonArray([.. list.Where(i => !drop.Contains(i?.ToJsonString())).Select(i => i?.DeepClone())]);
    }

    private static string? Directive(JsonObject node) =>
        node["$patch"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
