using System.Text.Json;
using System.Text.Json.Nodes;

namespace Plexus.Cni.Json;

/// <summary>
/// The top-level <c>cniVersion</c> of a config, result or error JSON, read where nothing may fail: to choose the version
/// an answer or an error is written in. Whatever names no version (no such key, not a string, not a version's canonical
/// text, not a JSON object) reads as null; "" is 0.1.0, as libcni reads a config. Reads that must refuse bad input are
/// the config's and the result's own (ConfigFields, CniResult).
/// </summary>
public static class CniVersionField
{
    private const string Key = "cniVersion";

    /// <summary>The version of an object already parsed.</summary>
    public static CniVersion? Of(JsonObject? json) => Parse(JsonScalars.String(json?[Key]));

    /// <summary>
    /// The version of bytes that must hold one object, valid JSON throughout and without repeated keys, as the config
    /// parser reads them: an error about a config names the version the config parser would have seen, or none.
    /// </summary>
    public static CniVersion? Read(ReadOnlySpan<byte> json)
    {
        try
        {
            return Of(CniJson.ParseObject(json, "JSON"));
        }
        catch (CniException)
        {
            return null;
        }
    }

    /// <summary>
    /// The <c>cniVersion</c> text, read straight from the bytes without building a tree, for VERSION (the call a runtime
    /// makes most): reading stops at the key, so what follows it is not checked, and of repeated keys the first counts.
    /// Null when the bytes are not an object, break before the key, lack it, or its value is not a string.
    /// </summary>
    public static string? PeekText(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
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
                    return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                reader.Skip();
            }
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
