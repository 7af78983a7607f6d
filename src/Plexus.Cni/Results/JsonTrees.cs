using System.Text.Json.Nodes;

namespace Plexus.Cni.Results;

/// <summary>Tree edits that give results Go's view of JSON: null is absent, empty is omitted.</summary>
/// <remarks>Plain loops: a chained LINQ call dispatches a generic virtual method (see <see cref="Json.JsonScalars"/>).</remarks>
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
                var items = new JsonArray();
                foreach (var item in array)
                {
                    if (item is not null)
                    {
                        items.Add(WithoutNulls(item));
                    }
                }
                return items;
            default:
                return node.DeepClone();
        }
    }

    /// <summary>Removes, bottom-up, properties whose value is an empty array or empty object.</summary>
    public static void RemoveEmpty(JsonObject obj)
    {
        var keys = new List<string>(obj.Count);
        foreach (var (key, _) in obj)
        {
            keys.Add(key);
        }
        foreach (var key in keys)
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
