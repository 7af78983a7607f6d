using System.Text.Json.Nodes;
using Plexus.Cni.Json;

namespace Plexus.NodeAgent.Selection;

/// <summary>
/// The meta-plugin types. A config is a meta-plugin config when any object anywhere in it has one of these as its
/// <c>type</c>: the top level, a conflist's plugins, delegates, delegates inside delegates (<see cref="MetaScanner"/>
/// finds them). Name-based checks are what let Multus 4.0.2 wrap itself.
/// </summary>
public static class MetaPlugins
{
    public static IReadOnlySet<string> Types { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "plexus", "plexus-shim", "multus", "multus-shim",
    };

    /// <summary>The object's own <c>type</c> when it is a string.</summary>
    public static string? TypeOf(JsonObject obj) => JsonScalars.String(obj["type"]);
}
