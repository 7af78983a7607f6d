using System.Text.Json.Nodes;

namespace Plexus.Deploy.Tests;

/// <summary>Where an object read back from the server differs from what was written (defaults added by the server are fine).</summary>
internal static class JsonSubset
{
    public static List<string> Differences(JsonNode? expected, JsonNode? actual, string path)
    {
        switch (expected)
        {
            case JsonObject obj:
                return actual is JsonObject other
                    ? obj.SelectMany(kv => Differences(kv.Value, other[kv.Key], $"{path}.{kv.Key}")).ToList()
                    : [$"{path}: expected an object, got {actual?.ToJsonString() ?? "nothing"}"];
            case JsonArray array:
                if (actual is not JsonArray list || list.Count != array.Count)
                {
                    return [$"{path}: expected {array.ToJsonString()}, got {actual?.ToJsonString() ?? "nothing"}"];
                }
                return array.SelectMany((item, i) => Differences(item, list[i], $"{path}[{i}]")).ToList();
            default:
                return JsonNode.DeepEquals(expected, actual) ? [] : [$"{path}: expected {expected?.ToJsonString() ?? "null"}, got {actual?.ToJsonString() ?? "nothing"}"];
        }
    }
}
