using System.Text.Json;
using System.Text.Json.Nodes;

namespace Plexus.Cni.ConfFiles;

/// <summary>
/// Turns a conf file's bytes into the list form the runtime executes, as libcni does: a
/// <c>.conflist</c> must have <c>plugins</c>, each with a <c>type</c>; a <c>.conf</c>/<c>.json</c>
/// must have a <c>type</c> and is wrapped as <c>{name, cniVersion, plugins:[conf]}</c>.
/// Throws <see cref="CniException"/> code 6 (not JSON) or 7 (not a usable config).
/// </summary>
public static class ConfFileLoader
{
    public static JsonObject LoadList(string fileName, ReadOnlySpan<byte> content)
    {
        var root = ParseObject(fileName, content);
        if (!ConfFileNames.IsList(fileName))
        {
            RequireType(root, $"{fileName}");
            var wrapped = new JsonObject();
            CopyIfPresent(root, wrapped, "cniVersion");
            CopyIfPresent(root, wrapped, "name");
            wrapped["plugins"] = new JsonArray(root);
            return wrapped;
        }
        if (root["plugins"] is not JsonArray plugins || plugins.Count == 0)
        {
            throw CniException.InvalidConfig($"{fileName}: a .conflist needs a non-empty \"plugins\" list");
        }
        for (var i = 0; i < plugins.Count; i++)
        {
            RequireType(plugins[i] as JsonObject, $"{fileName}: plugins[{i}]");
        }
        return root;
    }

    private static JsonObject ParseObject(string fileName, ReadOnlySpan<byte> content)
    {
        if (content.IsEmpty)
        {
            throw CniException.Decode($"{fileName}: file is empty");
        }
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(content, documentOptions: new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            throw CniException.Decode($"{fileName}: not valid JSON: {e.Message}");
        }
        return node as JsonObject
            ?? throw CniException.Decode($"{fileName}: top level is not a JSON object");
    }

    private static void RequireType(JsonObject? conf, string where)
    {
        if (conf?["type"] is not JsonValue type || !type.TryGetValue<string>(out var name) || name.Length == 0)
        {
            throw CniException.InvalidConfig($"{where}: missing plugin \"type\"");
        }
    }

    private static void CopyIfPresent(JsonObject from, JsonObject to, string key)
    {
        if (from[key] is { } value)
        {
            to[key] = value.DeepClone();
        }
    }
}
