using System.Text.Json.Nodes;

namespace Plexus.KubeSim.Storage;

/// <summary>
/// An object as stored: its tree (never mutated after storing, fully materialised so concurrent
/// readers are safe) and its serialised form, which reads serve without re-encoding.
/// </summary>
public sealed class StoredObject
{
    private StoredObject(JsonObject node, byte[] json, long resourceVersion)
    {
        Node = node;
        Json = json;
        ResourceVersion = resourceVersion;
    }

    public JsonObject Node { get; }
    public byte[] Json { get; }
    public long ResourceVersion { get; }

    public string Name => Node["metadata"]?["name"]?.GetValue<string>() ?? "";
    public string? Namespace => Node["metadata"]?["namespace"]?.GetValue<string>();

    /// <summary>A private copy the caller may change.</summary>
    public JsonObject CloneNode() => (JsonObject)Node.DeepClone();

    internal static StoredObject Freeze(JsonObject node, long resourceVersion)
    {
        Materialize(node);
        return new StoredObject(node, System.Text.Encoding.UTF8.GetBytes(node.ToJsonString()), resourceVersion);
    }

    private static void Materialize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, child) in obj) Materialize(child);
                break;
            case JsonArray array:
                foreach (var child in array) Materialize(child);
                break;
        }
    }
}
