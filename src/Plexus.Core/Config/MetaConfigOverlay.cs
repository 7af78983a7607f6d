using System.Text.Json;
using System.Text.Json.Nodes;
using Plexus.Cni;
using Plexus.Cni.Json;

namespace Plexus.Core.Config;

/// <summary>
/// The meta-plugin keys a node-wide config sets for every request, as Multus's daemon copies the keys of its
/// daemon config over each shim request's config: an operator's <c>namespaceIsolation</c> or <c>clusterNetwork</c>
/// holds whatever CNI config the runtime passes. Only the keys about the node are taken, never the request's
/// identity (<c>cniVersion</c>, <c>name</c>, <c>type</c>: the runtime reads its result in its own version), the
/// runtime's (<c>capabilities</c>, <c>runtimeConfig</c>), <c>delegates</c> (the primary the node agent embeds) or
/// <c>confDir</c>, which plexusd reads as the node's CNI config dir.
/// </summary>
public static class MetaConfigOverlay
{
    private enum Kind { String, Bool, Strings, Object }

    private static readonly (string Key, Kind Kind)[] Keys =
    [
        ("kubeconfig", Kind.String), ("clusterNetwork", Kind.String), ("defaultNetworks", Kind.Strings),
        ("systemNamespaces", Kind.Strings), ("multusNamespace", Kind.String), ("namespaceIsolation", Kind.Bool),
        ("globalNamespaces", Kind.String), ("cniDir", Kind.String), ("binDir", Kind.String), (ReadinessKey, Kind.String),
        ("logFile", Kind.String), ("logLevel", Kind.String), ("logToStderr", Kind.Bool), ("logOptions", Kind.Object),
        ("retryDeleteOnError", Kind.Bool), ("auxiliaryCNIChainName", Kind.String),
    ];

    public const string ReadinessKey = "readinessindicatorfile";

    /// <summary>
    /// The node-wide keys set in <paramref name="nodeConfig"/>, null when there are none; a value of the wrong type, or a
    /// key in another case (plexusd reads its config in exact case), is an error naming the key, so a typo stops the
    /// daemon at start instead of failing every request. Empty strings and nulls are unset, as plexusd reads its own
    /// keys: they override nothing. <paramref name="withReadiness"/> false leaves out the readiness indicator file:
    /// plexusd's config watch already removes the CNI config while that file is missing, as Multus's does.
    /// </summary>
    public static (JsonObject? Overlay, IReadOnlyList<KeyError> Errors) From(JsonObject nodeConfig, bool withReadiness)
    {
        var overlay = new JsonObject();
        var errors = new List<KeyError>();
        foreach (var (key, value) in nodeConfig)
        {
            var known = Keys.FirstOrDefault(k => k.Key.Equals(key, StringComparison.OrdinalIgnoreCase));
            if (known.Key is null || value is null || value is JsonValue v && JsonScalars.String(v) is "")
            {
                continue;
            }
            if (known.Key != key)
            {
                errors.Add(new(key, $"\"{key}\": plexusd reads its keys in their exact case; write \"{known.Key}\""));
            }
            else if (!Is(known.Kind, value))
            {
                errors.Add(new(key, $"\"{key}\" must be {Expected(known.Kind)}, not {value.ToJsonString()}"));
            }
            else if (withReadiness || key != ReadinessKey)
            {
                overlay[key] = value.DeepClone();
            }
        }
        return (errors.Count > 0 || overlay.Count == 0 ? null : overlay, errors);
    }

    /// <summary>A problem with one key of the config, as written there.</summary>
    public readonly record struct KeyError(string Key, string Message);

    private static bool Is(Kind kind, JsonNode value) => kind switch
    {
        Kind.String => value is JsonValue v && v.GetValueKind() == JsonValueKind.String,
        Kind.Bool => value is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        Kind.Strings => value is JsonArray a && a.All(e => e is JsonValue v && v.GetValueKind() == JsonValueKind.String),
        _ => value is JsonObject,
    };

    private static string Expected(Kind kind) => kind switch
    {
        Kind.String => "a string",
        Kind.Bool => "true or false",
        Kind.Strings => "an array of strings",
        _ => "an object",
    };

    /// <summary>
    /// The request's config with every overlay key set (a key of the request that differs only in case goes, so the
    /// node's value is the one read). Bytes that are not one JSON object are returned as they are: the dispatcher
    /// answers them with its own decode error.
    /// </summary>
    public static byte[] Apply(byte[] config, JsonObject overlay)
    {
        JsonObject request;
        try
        {
            request = CniJson.ParseObject(config, "the network configuration");
        }
        catch (CniException)
        {
            return config;
        }
        foreach (var (key, value) in overlay)
        {
            foreach (var same in request.Select(p => p.Key).Where(k => k.Equals(key, StringComparison.OrdinalIgnoreCase)).ToList())
            {
                request.Remove(same);
            }
            request[key] = value?.DeepClone();
        }
        return CniJson.ToBytes(request);
    }
}
