using System.Text.Json.Nodes;
namespace Plexus.Cni.Json;

/// <summary>
/// Typed reads of one JSON object's members, for JSON mapped by hand (in a one-shot NativeAOT
/// process the serializer's per-type setup costs more than the mapping). Keys match like Go's
/// encoding/json (an exact match first, else any case); a JSON null reads as unset; a value of the
/// wrong JSON type is a decode error (code 6) naming its path.
/// </summary>
public sealed class JsonFields(JsonObject json, string path, string what, string remedy)
{
    /// <summary>Where these fields are, as a JSON path (<c>$.ips[0]</c>).</summary>
    public string Path => path;

    /// <summary>A string member that must be present.</summary>
    public string Required(string key) => String(key) ?? throw CniException.Decode(
        $"failed to decode the {what} at {path}: \"{key}\" is missing", remedy);

    /// <summary>The member's array of objects, each as fields; empty when the member is absent.</summary>
    public IReadOnlyList<JsonFields> Each(string key)
    {
        var items = Objects(key);
        if (items is null)
        {
            return [];
        }
        var name = $"{path}.{key}";
        return [.. items.Select((item, i) => item is null
            ? throw CniException.Decode($"failed to decode the {what} at {name}[{i}]: expected an object, got null", remedy)
            : new JsonFields(item, $"{name}[{i}]", what, remedy))];
    }

    public string? String(string key) => Read(key, JsonScalars.String, "a string");

    public bool? Bool(string key) => Read<bool?>(key, JsonScalars.Bool, "true or false");

    public int? Int(string key) => Read<int?>(key, JsonScalars.Int, "a whole number");

    public List<string>? Strings(string key) => Read(key, node => node is JsonArray array && array.All(item => JsonScalars.String(item) is not null)
        ? array.Select(item => JsonScalars.String(item)!).ToList()
        : null, "an array of strings");

    public Dictionary<string, bool>? BoolMap(string key) => Read(key, node => node is JsonObject map && map.All(pair => JsonScalars.Bool(pair.Value) is not null)
        ? map.ToDictionary(pair => pair.Key, pair => JsonScalars.Bool(pair.Value)!.Value)
        : null, "an object of true/false values");

    /// <summary>The member's object, detached from this one so it can be placed in other JSON.</summary>
    public JsonObject? Object(string key) => Read(key, node => node as JsonObject, "an object") is { } found
        ? Detach(found)
        : null;

    /// <summary>The member's array of objects (or nulls), each detached so it can be placed in other JSON.</summary>
    public List<JsonObject?>? Objects(string key)
    {
        var array = Read(key, node => node is JsonArray items && items.All(item => item is null or JsonObject) ? items : null, "an array of objects");
        if (array is null)
        {
            return null;
        }
        var objects = array.Select(item => (JsonObject?)item).ToList();
        array.Clear();
        return objects;
    }

    public JsonFields? Nested(string key) => Read(key, node => node as JsonObject, "an object") is { } nested
        ? new JsonFields(nested, $"{path}.{Find(key)!.Value.Key}", what, remedy)
        : null;

    private T? Read<T>(string key, Func<JsonNode, T?> convert, string expected)
    {
        if (Find(key) is not { Value: { } node } member)
        {
            return default;
        }
        return convert(node) ?? throw CniException.Decode(
            $"failed to decode the {what} at {path}.{member.Key}: expected {expected}, got {Describe(node)}",
            remedy);
    }

    private KeyValuePair<string, JsonNode?>? Find(string key)
    {
        if (json.TryGetPropertyValue(key, out var exact))
        {
            return new(key, exact);
        }
        foreach (var member in json)
        {
            if (string.Equals(member.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return member;
            }
        }
        return null;
    }

    private JsonObject Detach(JsonObject member)
    {
        var key = json.First(pair => ReferenceEquals(pair.Value, member)).Key;
        json.Remove(key);
        return member;
    }

    private static string Describe(JsonNode node) => node switch
    {
        JsonObject => "an object",
        JsonArray => "an array",
        _ => $"{node.ToJsonString()}",
    };
}
