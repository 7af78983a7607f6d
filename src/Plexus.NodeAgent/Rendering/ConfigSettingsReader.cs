using System.Text.Json.Nodes;
using Plexus.Cni.Json;
using Plexus.NodeAgent.Selection;

namespace Plexus.NodeAgent.Rendering;

/// <summary>
/// Reads back the settings a Plexus config was rendered with (pure), so a repair keeps the operator's
/// mode, kubeconfig, isolation and log settings instead of falling back to the defaults.
/// </summary>
public static class ConfigSettingsReader
{
    /// <summary>
    /// The settings behind <paramref name="config"/> (a conflist whose first plugin is <c>plexus</c> or
    /// <c>plexus-shim</c>); null when it is not such a config. Keys that are absent keep the defaults,
    /// exactly as the renderer leaves them out when they are unset.
    /// </summary>
    public static ConfigSettings? Read(JsonObject config, string fileName)
    {
        if ((config["plugins"] as JsonArray)?.FirstOrDefault() is not JsonObject plugin
            || MetaPlugins.TypeOf(plugin) is not ("plexus" or "plexus-shim"))
        {
            return null;
        }
        var defaults = new ConfigSettings();
        var name = JsonScalars.String(config["name"]);
        var version = JsonScalars.String(config["cniVersion"]);
        var cluster = (plugin["delegates"] as JsonArray)?.FirstOrDefault() as JsonObject;
        var clusterVersion = cluster is null ? null : JsonScalars.String(cluster["cniVersion"]);
        // The renderer writes the primary's version unless one was forced; a different one can only have been forced.
        var forced = version is not null && clusterVersion is not null && version != clusterVersion;
        return new ConfigSettings
        {
            FileName = fileName,
            PluginType = MetaPlugins.TypeOf(plugin)!,
            NetworkName = name ?? defaults.NetworkName,
            // A network named like its cluster network was named after it (--override-network-name).
            OverrideNetworkName = name is not null && cluster is not null && name == JsonScalars.String(cluster["name"]),
            CniVersion = forced ? version : null,
            ForceCniVersion = forced,
            Kubeconfig = String(plugin, "kubeconfig"),
            NetConfDir = String(plugin, "confDir") ?? defaults.NetConfDir,
            CniCacheDir = String(plugin, "cniDir") ?? defaults.CniCacheDir,
            BinDir = String(plugin, "binDir") ?? defaults.BinDir,
            NamespaceIsolation = JsonScalars.Bool(plugin["namespaceIsolation"]) ?? defaults.NamespaceIsolation,
            GlobalNamespaces = String(plugin, "globalNamespaces"),
            LogLevel = String(plugin, "logLevel"),
            LogFile = String(plugin, "logFile"),
            LogToStderr = JsonScalars.Bool(plugin["logToStderr"]),
            ReadinessIndicatorFile = String(plugin, "readinessindicatorfile"),
            DaemonSocketDir = String(plugin, "daemonSocketDir"),
            DaemonSocketName = String(plugin, "daemonSocketName"),
        };
    }

    private static string? String(JsonObject obj, string key) => JsonScalars.String(obj[key]) is { Length: > 0 } value ? value : null;
}
