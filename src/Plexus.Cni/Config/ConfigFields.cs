using System.Text.Json;
using System.Text.Json.Nodes;
using Plexus.Cni.Json;

namespace Plexus.Cni.Config;

/// <summary>
/// Typed reads of well-known keys from an opaque config; wrong shapes are code 7, except a cniVersion that is not
/// a string (code 6, as libcni's version decoder fails on it); versions that are not supported are code 1.
/// </summary>
internal static class ConfigFields
{
    public static string? OptionalString(JsonObject obj, string key, string where)
    {
        var node = obj[key];
        if (node is null)
        {
            return null;
        }
        return JsonScalars.String(node)
            ?? throw CniException.InvalidConfig($"{where}: \"{key}\" must be a string", $"got {CniJson.Describe(node)}");
    }

    public static string RequireString(JsonObject obj, string key, string where) =>
        OptionalString(obj, key, where) is { Length: > 0 } value
            ? value
            : throw CniException.InvalidConfig($"{where}: missing \"{key}\"");

    /// <summary>The network name: required and matching the container-id regex.</summary>
    public static string RequireName(JsonObject obj, string where)
    {
        var name = OptionalString(obj, "name", where);
        if (string.IsNullOrEmpty(name))
        {
            throw CniException.InvalidConfig($"{where}: missing network name (\"name\")");
        }
        return CniNames.IsValidId(name)
            ? name
            : throw CniException.InvalidConfig(
                $"{where}: invalid network name \"{name}\"", "names must match ^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$");
    }

    /// <summary>The <c>cniVersion</c> text, null when absent; any other JSON type fails to decode (code 6).</summary>
    public static string? VersionText(JsonObject obj, string where)
    {
        var node = obj["cniVersion"];
        return node is null
            ? null
            : JsonScalars.String(node)
                ?? throw CniException.Decode($"{where}: \"cniVersion\" must be a string", $"got {CniJson.Describe(node)}");
    }

    /// <summary>
    /// A version string; absent or empty means 0.1.0 as in libcni. Text that is not exactly a version's canonical
    /// form ("1.01.0", "+1.0.0") is code 1: libcni compares version strings exactly, so no plugin supports it.
    /// </summary>
    public static CniVersion ParseVersion(string? text, string where)
    {
        return CniVersion.TryParse(text ?? "", out var version)
            ? version
            : throw new CniException(
                CniErrorCode.IncompatibleVersion,
                $"{where}: incompatible CNI version \"{text}\"",
                $"config is \"{text}\"; supported versions, compared as exact strings: {string.Join(", ", CniVersion.Supported)}");
    }

    /// <summary>The <c>capabilities</c> map (name → bool); anything else is code 7.</summary>
    public static IReadOnlyDictionary<string, bool> Capabilities(JsonObject obj, string where)
    {
        var node = obj["capabilities"];
        if (node is null)
        {
            return new Dictionary<string, bool>();
        }
        if (node is not JsonObject map)
        {
            throw CniException.InvalidConfig($"{where}: \"capabilities\" must be an object of booleans", $"got {CniJson.Describe(node)}");
        }
        var result = new Dictionary<string, bool>(map.Count, StringComparer.Ordinal);
        foreach (var (capability, value) in map)
        {
            var kind = value?.GetValueKind();
            result[capability] = kind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw CniException.InvalidConfig(
                    $"{where}: capability \"{capability}\" must be true or false", $"got {CniJson.Describe(value)}"),
            };
        }
        return result;
    }

    /// <summary>A flag such as <c>disableCheck</c>: a boolean or the strings "true"/"false" (any case), as libcni accepts.</summary>
    public static bool Flag(JsonObject obj, string key, string where)
    {
        var node = obj[key];
        switch (node?.GetValueKind())
        {
            case null:
                return false;
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.String when bool.TryParse(JsonScalars.String(node), out var flag):
                return flag;
            default:
                throw CniException.InvalidConfig($"{where}: \"{key}\" must be true or false", $"got {CniJson.Describe(node)}");
        }
    }
}
