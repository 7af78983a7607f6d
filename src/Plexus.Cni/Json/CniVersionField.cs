using System.Text.Json;
using System.Text.Json.Nodes;

namespace Plexus.Cni.Json;

/// <summary>
/// The top-level <c>cniVersion</c> of a config, result or error JSON, read where nothing may fail: to choose the version
/// an answer or an error is written in. Whatever names no version (no such key, not a string, not a version's canonical
/// text, not a JSON object) reads as null; "" is 0.1.0, as libcni reads a config. Reads that must refuse bad input are
/// the config's and the result's own (ConfigFields, CniResult), which refuse repeated keys; where repeated keys are
/// read, the last <c>cniVersion</c> counts, as in Go.
/// </summary>
public static class CniVersionField
{
    private const string Key = "cniVersion";

    /// <summary>The version of an object already parsed.</summary>
    public static CniVersion? Of(JsonObject? json) => Parse(JsonScalars.String(json?[Key]));

    /// <summary>
    /// The version of bytes that hold one JSON object: <see cref="ReadText"/>'s text as a version. An error about a config
    /// the parser refused (a repeated key among them) is written in the version the runtime read from it.
    /// </summary>
    public static CniVersion? Read(ReadOnlySpan<byte> json) => Parse(ReadText(json));

    /// <summary>
    /// The text of the last top-level <c>cniVersion</c>, read straight from the bytes without building a tree (VERSION,
    /// the call a runtime makes most, reads it so). Of repeated keys the last counts, as Go's encoding/json (libcni, the
    /// runtime) reads them, so every answer and error agrees with the runtime on a config's version. Null when the bytes
    /// are not one valid JSON object, lack the key, or its last value is not a string.
    /// </summary>
    public static string? ReadText(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        string? text = null;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isVersion = reader.ValueTextEquals("cniVersion"u8);
                reader.Read();
                if (isVersion)
                {
                    text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                reader.Skip();
            }
            // The object closed, and nothing but whitespace after it (Read throws on anything else).
            return reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == 0 && !reader.Read() ? text : null;
        }
        catch (JsonException)
        {
        }
        catch (InvalidOperationException)
        {
            // GetString refuses a value that is not valid UTF-8; no version is written so.
        }
        return null;
    }

    /// <summary>
    /// The version an answer is written in: the one read if Plexus speaks it, else the latest, which is the one a
    /// runtime can learn from VERSION (a version Plexus does not speak is never echoed).
    /// </summary>
    public static CniVersion SpokenOrLatest(CniVersion? version) => version is { IsSupported: true } spoken ? spoken : CniVersion.Latest;

    private static CniVersion? Parse(string? text) => CniVersion.TryParse(text, out var version) ? version : null;
}
