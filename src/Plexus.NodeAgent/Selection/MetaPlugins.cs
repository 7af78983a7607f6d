using System.Text.Json.Nodes;
using Plexus.Cni.Json;

namespace Plexus.NodeAgent.Selection;

/// <summary>
/// Recognises meta-plugin configs by content. A config is a meta-plugin config when any object
/// anywhere in it has a meta-plugin <c>type</c>: the top level, a conflist's plugins, delegates,
/// delegates inside delegates. Name-based checks are what let Multus 4.0.2 wrap itself.
/// </summary>
public static class MetaPlugins
{
    public static IReadOnlySet<string> Types { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "plexus", "plexus-shim", "multus", "multus-shim",
    };

    /// <summary>The most meta-plugin configs nested inside each other on one path (0: none).</summary>
    public static int NestingDepth(JsonNode? node) => node switch
    {
        JsonObject obj => (IsMeta(obj) ? 1 : 0) + MaxOf(obj.Select(p => p.Value)),
        JsonArray array => MaxOf(array),
        _ => 0,
    };

    /// <summary>The meta-plugin types found anywhere in <paramref name="node"/>, outermost first, distinct.</summary>
    public static IReadOnlyList<string> TypesIn(JsonNode? node)
    {
        var found = new List<string>();
        Collect(node, found);
        return found.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The object's own <c>type</c> when it is a string.</summary>
    public static string? TypeOf(JsonObject obj) => JsonScalars.String(obj["type"]);

    public static bool IsMeta(JsonObject obj) => TypeOf(obj) is { } type && Types.Contains(type);

    private static int MaxOf(IEnumerable<JsonNode?> children)
    {
        var max = 0;
        foreach (var child in children)
        {
            max = Math.Max(max, NestingDepth(child));
        }
        return max;
    }

    private static void Collect(JsonNode? node, List<string> found)
    {
        if (node is JsonObject obj)
        {
            if (IsMeta(obj))
            {
                found.Add(TypeOf(obj)!);
            }
            foreach (var (_, child) in obj)
            {
                Collect(child, found);
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var child in array)
            {
                Collect(child, found);
            }
        }
    }
}
