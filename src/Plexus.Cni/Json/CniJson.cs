using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Unicode;

namespace Plexus.Cni.Json;

/// <summary>
/// Shared JSON settings and small helpers for the wire formats. Minimal escaping (<see cref="MinimalJsonEncoder"/>)
/// keeps opaque delegate configs as close to their original bytes as JSON allows (no \u003c for '&lt;').
/// </summary>
public static class CniJson
{
    internal static CniJsonContext Context => Serializer.Context;

    /// <summary>The read-only options of <see cref="Context"/>, for writing nodes with the same escaping.</summary>
    public static JsonSerializerOptions Options => Context.Options;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = MinimalJsonEncoder.Instance, MaxDepth = 64 };

    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = false };

    /// <summary>
    /// Duplicate keys are refused: Go keeps the last, and a delegate reading a value Plexus did not check
    /// is worse than a clear decode error (System.Text.Json would otherwise fail later, on first access).
    /// </summary>
    public static JsonDocumentOptions DocumentOptions { get; } = new() { MaxDepth = 64, AllowDuplicateProperties = false };

    /// <summary>Parses bytes that must hold one JSON object; anything else is the spec's decode error (code 6).</summary>
    public static JsonObject ParseObject(ReadOnlySpan<byte> json, string what)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(WithValidUtf8(json), NodeOptions, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw CniException.Decode(
                $"{what} is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})", e.Message);
        }
        return node as JsonObject
            ?? throw CniException.Decode($"{what} must be a JSON object", $"got {Describe(node)}");
    }

    /// <summary>
    /// The JSON bytes with invalid UTF-8 replaced by U+FFFD, as Go's decoder (libcni, delegate plugins)
    /// reads them. System.Text.Json only notices bad UTF-8 inside a string when the value is read,
    /// and then throws InvalidOperationException rather than JsonException.
    /// </summary>
    public static ReadOnlySpan<byte> WithValidUtf8(ReadOnlySpan<byte> json) =>
        Utf8.IsValid(json) ? json : Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(json));

    /// <summary>
    /// Throws <see cref="JsonException"/> when the document is not JSON or repeats a key in any object. Typed
    /// deserialization checks only its own members: an opaque <see cref="JsonObject"/> inside would throw
    /// ArgumentException on first access instead.
    /// </summary>
    public static void RejectDuplicateKeys(ReadOnlySpan<byte> json)
    {
        using var document = JsonDocument.Parse(json.ToArray(), DocumentOptions);
    }

    /// <summary>Compact UTF-8 bytes of a node, written with the shared (minimal) escaping.</summary>
    public static byte[] ToBytes(JsonNode node)
    {
        // Written directly rather than through the serializer, whose per-type setup a one-shot process would pay for.
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            node.WriteTo(writer);
        }
        return buffer.WrittenSpan.ToArray();
    }

    internal static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "an array",
        _ => $"a {node.GetValueKind().ToString().ToLowerInvariant()} ({node.ToJsonString(Options)})",
    };

    // Built on first use, so parsing and writing nodes never pay for the serializer's setup.
    private static class Serializer
    {
        public static readonly CniJsonContext Context = CreateContext();
    }

    private static CniJsonContext CreateContext()
    {
        var context = new CniJsonContext(new JsonSerializerOptions
        {
            Encoder = MinimalJsonEncoder.Instance,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        });
        context.Options.MakeReadOnly();
        return context;
    }
}
