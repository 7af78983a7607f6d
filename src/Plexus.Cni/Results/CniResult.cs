using System.Text.Json.Nodes;
using Plexus.Cni.Json;

namespace Plexus.Cni.Results;

/// <summary>
/// A plugin result in one spec version. Concrete types: <see cref="Result020"/> (0.1.0, 0.2.0),
/// <see cref="Result040"/> (0.3.0, 0.3.1, 0.4.0) and <see cref="Result100"/> (1.0.0, 1.1.0).
/// Unknown-fields policy: each version keeps exactly the fields its spec defines (as libcni's typed
/// decode does); anything else in a delegate's result is dropped, <c>null</c> means absent, and empty
/// lists/objects are omitted on output. Conversions follow libcni's converter table
/// (see <see cref="ConvertTo"/>).
/// </summary>
public abstract record CniResult
{
    /// <summary>The spec version this result is in; written as <c>cniVersion</c>.</summary>
    public CniVersion Version { get; init; }

    /// <summary>
    /// Reads a result. A result without <c>cniVersion</c> (or with an empty one) is taken to be in
    /// <paramref name="defaultVersion"/>, the config's version, as libcni does.
    /// Errors: not an object or bad field → code 6; a version Plexus does not know → code 1.
    /// </summary>
    public static CniResult Parse(JsonNode? node, CniVersion defaultVersion)
    {
        if (node is not JsonObject obj)
        {
            throw CniException.Decode("invalid result: must be a JSON object", $"got {CniJson.Describe(node)}");
        }
        var version = ReadVersion(obj, defaultVersion);
        var family = ResultFamilies.Of(version);
        var clean = (JsonObject)JsonTrees.WithoutNulls(obj);
        var what = $"{version} result";
        CniResult result;
        try
        {
            result = family switch
            {
                ResultFamily.V020 => Result020.Read(clean, what).Normalize(),
                ResultFamily.V040 => Result040.From(ResultParts.Read(clean, what)).Normalize(),
                _ => Result100.From(ResultParts.Read(clean, what)).Normalize(),
            };
        }
        catch (CniException e) when (e.Code == CniErrorCode.DecodeFailure)
        {
            throw CniException.Decode($"invalid {what}", e.Message);
        }
        result = result with { Version = version };
        result.Validate();
        return result;
    }

    /// <summary>Parses result bytes (e.g. a plugin's stdout); see <see cref="Parse(JsonNode?, CniVersion)"/>.</summary>
    public static CniResult Parse(ReadOnlySpan<byte> json, CniVersion defaultVersion) =>
        Parse(CniJson.ParseObject(json, "result"), defaultVersion);

    /// <summary>
    /// A result with nothing in it, in <paramref name="version"/>: what a plugin that attached nothing answers. Built in
    /// that version's own shape, since no conversion reaches 0.1.0/0.2.0 without an address.
    /// </summary>
    public static CniResult Empty(CniVersion version) => ResultFamilies.Of(version) switch
    {
        ResultFamily.V020 => new Result020 { Version = version },
        ResultFamily.V040 => new Result040 { Version = version },
        _ => new Result100 { Version = version },
    };

    /// <summary>
    /// This result in <paramref name="target"/>, following libcni: within a family only the version
    /// changes; 0.1/0.2 → 0.3+ moves ip4/ip6 into ips and their routes into routes; 1.x → 0.3.x/0.4.0
    /// drops 1.1.0 interface fields and adds ips[].version; → 0.1.0/0.2.0 keeps the first address of
    /// each family and the routes of the families kept, and fails (code 1) when there is no address.
    /// </summary>
    public CniResult ConvertTo(CniVersion target)
    {
        var family = ResultFamilies.Of(target);
        if (family == Family)
        {
            return this with { Version = target };
        }
        var hub = ToV040(CniVersion.V040);
        return family switch
        {
            ResultFamily.V020 => hub.ToV020(target, Version),
            ResultFamily.V040 => hub with { Version = target },
            _ => Result100.FromV040(hub, target),
        };
    }

    /// <summary>The result JSON, <c>cniVersion</c> first.</summary>
    public JsonObject ToJson()
    {
        var body = SerializeBody();
        JsonTrees.RemoveEmpty(body);
        body.Insert(0, "cniVersion", Version.ToString());
        return body;
    }

    /// <summary>Compact UTF-8 result JSON.</summary>
    public byte[] ToBytes() => CniJson.ToBytes(ToJson());

    internal abstract ResultFamily Family { get; }

    /// <summary>This result as 0.3.x/0.4.0, the hub of cross-family conversions.</summary>
    internal abstract Result040 ToV040(CniVersion target);

    private protected abstract JsonObject SerializeBody();

    private protected abstract void Validate();

    private static CniVersion ReadVersion(JsonObject obj, CniVersion defaultVersion)
    {
        var node = obj["cniVersion"];
        if (node is null)
        {
            return defaultVersion;
        }
        var text = JsonScalars.String(node)
            ?? throw CniException.Decode("invalid result: cniVersion must be a string", $"got {CniJson.Describe(node)}");
        if (text.Length == 0)
        {
            return defaultVersion;
        }
        return CniVersion.TryParse(text, out var version) && version.IsSupported
            ? version
            : throw ResultFamilies.Unsupported(text);
    }
}
