using System.Text.Json.Nodes;

namespace Plexus.KubeSim.Api;

/// <summary>JSON patch (RFC 6902): add, remove, replace, move, copy, test on a private copy.</summary>
internal static class JsonPatch
{
    public static JsonNode Apply(JsonNode target, JsonNode? patch)
    {
        if (patch is not JsonArray operations)
        {
            throw ApiException.BadRequest("the server rejected our request due to an error in our request: json patch must be an array");
        }
        var document = target.DeepClone();
        foreach (var operation in operations)
        {
            var op = Text(operation?["op"]);
            var path = Text(operation?["path"]) ?? throw Invalid("missing path");
            switch (op)
            {
                case "add": document = Add(document, path, Value(operation!)); break;
                case "remove": Remove(document, path); break;
                case "replace": Remove(document, path); document = Add(document, path, Value(operation!)); break;
                case "move":
                    var moved = Get(document, Text(operation?["from"]) ?? throw Invalid("missing from"));
                    Remove(document, Text(operation!["from"])!);
                    document = Add(document, path, moved);
                    break;
                case "copy": document = Add(document, path, Get(document, Text(operation?["from"]) ?? throw Invalid("missing from")).DeepClone()); break;
                case "test":
                    if (!JsonNode.DeepEquals(Get(document, path), operation!["value"]))
                        throw new ApiException(422, "Invalid", $"the server rejected our request due to an error in our request: testing value {path} failed");
                    break;
                default: throw Invalid($"Unexpected kind: {op}");
            }
        }
        return document;
    }

    private static JsonNode Add(JsonNode document, string path, JsonNode? value)
    {
        if (path.Length == 0) return value ?? throw Invalid("null document");
        var (parent, last) = Parent(document, path);
        switch (parent)
        {
            case JsonObject obj: obj[last] = value; break;
            case JsonArray array when last == "-": array.Add(value); break;
            case JsonArray array when int.TryParse(last, out var i) && i >= 0 && i <= array.Count: array.Insert(i, value); break;
            default: throw Invalid($"add operation does not apply: doc is missing path: \"{path}\"");
        }
        return document;
    }

    private static void Remove(JsonNode document, string path)
    {
        var (parent, last) = Parent(document, path);
        var removed = parent switch
        {
            JsonObject obj => obj.Remove(last),
            JsonArray array when int.TryParse(last, out var i) && i >= 0 && i < array.Count => Remove(array, i),
            _ => false,
        };
        if (!removed) throw Invalid($"remove operation does not apply: doc is missing path: \"{path}\"");
    }

    private static bool Remove(JsonArray array, int index)
    {
        array.RemoveAt(index);
        return true;
    }

    private static JsonNode Get(JsonNode document, string path)
    {
        JsonNode? node = document;
        foreach (var segment in Segments(path))
        {
            node = node switch
            {
                JsonObject obj => obj[segment],
                JsonArray array when int.TryParse(segment, out var i) && i >= 0 && i < array.Count => array[i],
                _ => null,
            };
        }
        return node ?? throw Invalid($"doc is missing path: \"{path}\"");
    }

    private static (JsonNode Parent, string Last) Parent(JsonNode document, string path)
    {
        var segments = Segments(path);
        var parentPath = string.Concat(segments.SkipLast(1).Select(s => "/" + s.Replace("~", "~0").Replace("/", "~1")));
        return (Get(document, parentPath), segments[^1]);
    }

    private static List<string> Segments(string path)
    {
        if (path.Length == 0) return [];
        if (path[0] != '/') throw Invalid($"invalid JSON pointer \"{path}\"");
        return [.. path[1..].Split('/').Select(s => s.Replace("~1", "/").Replace("~0", "~"))];
    }

    private static JsonNode? Value(JsonNode operation) =>
        operation is JsonObject obj && obj.TryGetPropertyValue("value", out var value) ? value?.DeepClone() : throw Invalid("missing value");

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static ApiException Invalid(string message) =>
        new(422, "Invalid", $"the server rejected our request due to an error in our request: {message}");
}
