using System.Text.Json.Nodes;

namespace Plexus.Core.Planning;

/// <summary>Applies per-pod edits to a copy of a delegate conf; every key it does not edit is kept as is.</summary>
internal static class DelegateConfEditor
{
    /// <summary>
    /// Merges <paramref name="cniArgs"/> into every plugin's <c>args.cni</c> (the annotation's values
    /// win) and, like Multus, puts the kubelet's device id into every plugin as both <c>deviceID</c>
    /// (SR-IOV and most device plugins' CNIs) and <c>pciBusID</c> (host-device).
    /// </summary>
    public static JsonObject Apply(JsonObject conf, JsonObject? cniArgs, string? deviceId)
    {
        var copy = (JsonObject)conf.DeepClone();
        var plugins = copy["plugins"] is JsonArray list ? list.OfType<JsonObject>().ToList() : [];
        if (cniArgs is { Count: > 0 })
        {
            foreach (var plugin in plugins)
            {
                MergeCniArgs(plugin, cniArgs);
            }
        }
        if (!string.IsNullOrEmpty(deviceId))
        {
            foreach (var plugin in plugins)
            {
                plugin["deviceID"] = deviceId;
                plugin["pciBusID"] = deviceId;
            }
        }
        return copy;
    }

    private static void MergeCniArgs(JsonObject plugin, JsonObject cniArgs)
    {
        if (plugin["args"] is not JsonObject args)
        {
            args = new JsonObject();
            plugin["args"] = args;
        }
        if (args["cni"] is not JsonObject cni)
        {
            cni = new JsonObject();
            args["cni"] = cni;
        }
        foreach (var (key, value) in cniArgs)
        {
            cni[key] = value?.DeepClone();
        }
    }
}
