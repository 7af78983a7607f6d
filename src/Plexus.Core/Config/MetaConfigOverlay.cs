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
    public static readonly IReadOnlyList<string> NodeWideKeys =
    [
        "kubeconfig", "clusterNetwork", "defaultNetworks", "systemNamespaces", "multusNamespace",
        "namespaceIsolation", "globalNamespaces", "cniDir", "binDir", "readinessindicatorfile",
        "logFile", "logLevel", "logToStderr", "logOptions", "retryDeleteOnError", "auxiliaryCNIChainName",
    ];

    public const string ReadinessKey = "readinessindicatorfile";

    /// <summary>
    /// The node-wide keys present in <paramref name="nodeConfig"/> (matched case-insensitively, as Multus reads keys);
    /// null when there are none. <paramref name="withReadiness"/> false leaves out the readiness indicator file:
    /// plexusd's config watch already removes the CNI config while that file is missing, as Multus's does.
    /// </summary>
    public static JsonObject? From(JsonObject nodeConfig, bool withReadiness)
    {
        var overlay = new JsonObject();
        foreach (var (key, value) in nodeConfig)
        {
            if (NodeWideKeys.FirstOrDefault(k => k.Equals(key, StringComparison.OrdinalIgnoreCase)) is { } known
                && (withReadiness || known != ReadinessKey))
            {
                overlay[known] = value?.DeepClone();
            }
        }
        return overlay.Count == 0 ? null : overlay;
    }

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
