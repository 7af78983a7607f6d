using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Plexus.Cni.Json;

/// <summary>
/// Scalar reads of <see cref="JsonNode"/> values that never call <c>JsonValue.GetValue&lt;T&gt;</c> or
/// <c>TryGetValue&lt;T&gt;</c>. Those are generic virtual methods: the first call of one in a NativeAOT
/// process starts the runtime's type loader, about a tenth of a one-shot plugin's CPU. A parsed string
/// value gives its text through <see cref="JsonNode.ToString"/> and a number its digits through
/// <see cref="JsonNode.ToJsonString"/>, both without that lookup.
/// </summary>
public static class JsonScalars
{
    /// <summary>The text of a JSON string; null for a missing node or any other kind of value.</summary>
    public static string? String(JsonNode? node) =>
        node is JsonValue && node.GetValueKind() == JsonValueKind.String ? node.ToString() : null;

    /// <summary>
    /// A JSON number written as a whole number that fits an int (no fraction or exponent, as Go's
    /// encoding/json reads an int); null for anything else.
    /// </summary>
    public static int? Int(JsonNode? node) =>
        node is JsonValue && node.GetValueKind() == JsonValueKind.Number
            && int.TryParse(node.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;

    /// <summary>A JSON true or false; null for anything else.</summary>
    public static bool? Bool(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
