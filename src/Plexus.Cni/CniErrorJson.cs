using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plexus.Cni.Json;

namespace Plexus.Cni;

/// <summary>Converts <see cref="CniException"/> to and from the spec's error JSON.</summary>
public static class CniErrorJson
{
    /// <summary>The error as the spec's error JSON, stamped with the config's cniVersion.</summary>
    public static byte[] ToBytes(this CniException error, CniVersion version) =>
        JsonSerializer.SerializeToUtf8Bytes(
            new CniErrorWire
            {
                CniVersion = version.ToString(),
                Code = error.Code,
                Msg = error.Message,
                Details = string.IsNullOrEmpty(error.Details) ? null : error.Details,
            },
            CniJson.Context.CniErrorWire);

    /// <summary>
    /// Reads a child plugin's stdout as error JSON. Returns false when it is not an error object
    /// (not JSON, not an object, or no numeric <c>code</c>), so the caller can report the raw output instead.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> json, [NotNullWhen(true)] out CniException? error)
    {
        error = null;
        JsonObject obj;
        try
        {
            obj = CniJson.ParseObject(json, "error output");
        }
        catch (CniException)
        {
            return false;
        }
        if (JsonScalars.Int(obj["code"]) is not { } code)
        {
            return false;
        }
        error = new CniException(code, ReadString(obj, "msg"), ReadString(obj, "details") is { Length: > 0 } details ? details : null);
        return true;
    }

    private static string ReadString(JsonObject obj, string key) => JsonScalars.String(obj[key]) ?? "";
}
