using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Plexus.KubeSim.Api;

/// <summary>
/// What a continue token carries: the list's resourceVersion, the last key served (so an expired
/// snapshot can still offer an inconsistent continuation) and, for a consistent list, which kept
/// snapshot to read and where in it. Revision -1 with no snapshot means "continue from the live store".
/// </summary>
internal sealed record ContinueToken(long Revision, string After, string? Snapshot, int Offset)
{
    public const long Live = -1;

    public string Encode()
    {
        var json = new JsonObject { ["rv"] = Revision, ["after"] = After };
        if (Snapshot is not null)
        {
            json["snapshot"] = Snapshot;
            json["offset"] = Offset;
        }
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json.ToJsonString()));
    }

    /// <summary>Reads a token; one that is not a token at all is refused with 400, as the API server does.</summary>
    public static ContinueToken Decode(string token)
    {
        JsonObject json;
        try
        {
            json = JsonNode.Parse(Base64Url.DecodeFromChars(token)) as JsonObject ?? throw Invalid("not a JSON object");
        }
        catch (FormatException e)
        {
            throw Invalid(e.Message);
        }
        catch (JsonException e)
        {
            throw Invalid(e.Message);
        }
        var revision = Number(json, "rv");
        var after = Text(json, "after") ?? throw Invalid("encoded start key empty");
        var snapshot = Text(json, "snapshot");
        if (revision == 0 || (revision == Live) != (snapshot is null))
        {
            throw Invalid("incorrect encoded start resourceVersion");
        }
        var offset = snapshot is null ? 0 : Number(json, "offset");
        return offset is >= 0 and <= int.MaxValue
            ? new ContinueToken(revision, after, snapshot, (int)offset)
            : throw Invalid("incorrect encoded offset");
    }

    private static long Number(JsonObject json, string name) =>
        json[name] is JsonValue value && value.TryGetValue<long>(out var n) ? n : throw Invalid($"no whole number \"{name}\"");

    private static string? Text(JsonObject json, string name) =>
        json[name] is JsonValue value && value.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;

    private static ApiException Invalid(string why) => ApiException.BadRequest($"invalid continue token: continue key is not valid: {why}");
}
