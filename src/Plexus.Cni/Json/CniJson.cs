using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Plexus.Cni.Json;

/// <summary>
/// Shared JSON settings and small helpers for the wire formats. Relaxed escaping keeps
/// opaque delegate configs as close to their original bytes as JSON allows (no \u003c for '&lt;').
/// </summary>
public static class CniJson
{
    internal static CniJsonContext Context { get; } = CreateContext();

    /// <summary>The read-only options of <see cref="Context"/>, for writing nodes with the same escaping.</summary>
    public static JsonSerializerOptions Options => Context.Options;

    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = false };

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    /// <summary>Parses bytes that must hold one JSON object; anything else is the spec's decode error (code 6).</summary>
    public static JsonObject ParseObject(ReadOnlySpan<byte> json, string what)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, NodeOptions, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw CniException.Decode(
                $"{what} is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})", e.Message);
        }
        return node as JsonObject
            ?? throw CniException.Decode($"{what} must be a JSON object", $"got {Describe(node)}");
    }

    /// <summary>Compact UTF-8 bytes of a node, written with the shared (relaxed) escaping.</summary>
    public static byte[] ToBytes(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node, Context.JsonNode);

    internal static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "an array",
        _ => $"a {node.GetValueKind().ToString().ToLowerInvariant()} ({node.ToJsonString(Options)})",
    };

    private static CniJsonContext CreateContext()
    {
        var context = new CniJsonContext(new JsonSerializerOptions
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        });
        context.Options.MakeReadOnly();
        return context;
    }
}
