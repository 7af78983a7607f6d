using System.Text.Json.Nodes;

namespace Plexus.Cni.Results;

/// <summary>Tree edits that give results Go's view of JSON: null is absent, empty is omitted.</summary>
internal static class JsonTrees
{
    /// <summary>A deep copy without null-valued properties or array items.</summary>
    public static JsonNode WithoutNulls(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    if (value is not null)
                    {
                        copy[key] = WithoutNulls(value);
                    }
                }
                return copy;
            case JsonArray array:
                return new JsonArray(array.Where(item => item is not null).Select(item => WithoutNulls(item!)).ToArray());
            default:
                return node.DeepClone();
        }
    }

    /// <summary>Removes, bottom-up, properties whose value is an empty array or empty object.</summary>
    public static void RemoveEmpty(JsonObject obj)
    {
        foreach (var key in obj.Select(p => p.Key).ToList())
        {
            switch (obj[key])
            {
                case JsonObject child:
                    RemoveEmpty(child);
                    if (child.Count == 0)
                    {
                        obj.Remove(key);
                    }
                    break;
                case JsonArray array:
                    foreach (var item in array.OfType<JsonObject>())
                    {
                        RemoveEmpty(item);
                    }
                    if (array.Count == 0)
                    {
                        obj.Remove(key);
                    }
                    break;
            }
        }
    }
}
