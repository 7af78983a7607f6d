using System.Text.Json.Nodes;
using Plexus.Cni.Json;

namespace Plexus.Cni.Config;

/// <summary>
/// A conflist: a named, versioned chain of plugin configs. Plugin configs are kept opaque
/// (<see cref="Plugins"/>) so unknown keys pass through to the plugins unchanged. Treat the JSON
/// objects as read-only; <see cref="PluginStdin"/> builds each plugin's stdin from copies.
/// </summary>
public sealed record NetworkConfigList
{
    public required string Name { get; init; }

    /// <summary>
    /// The version the chain runs at: the highest of <c>cniVersion</c> and <c>cniVersions</c> that is
    /// not newer than Plexus's latest, as libcni picks it (0.1.0 when none is given).
    /// </summary>
    public required CniVersion CniVersion { get; init; }

    /// <summary>The <c>cniVersions</c> list as written (empty when absent).</summary>
    public IReadOnlyList<CniVersion> CniVersions { get; init; } = [];

    public bool DisableCheck { get; init; }

    public bool DisableGC { get; init; }

    public required IReadOnlyList<JsonObject> Plugins { get; init; }

    public required JsonObject Raw { get; init; }

    /// <summary>Parses conflist bytes: bad JSON → 6; missing name/plugins, plugin without type → 7; bad version text → 1.</summary>
    public static NetworkConfigList Parse(ReadOnlySpan<byte> json) =>
        FromJson(CniJson.ParseObject(json, "network config list"));

    /// <summary>Parses either a conflist (has <c>plugins</c>) or a single conf, which is wrapped like libcni does.</summary>
    public static NetworkConfigList ParseConfOrList(ReadOnlySpan<byte> json)
    {
        var obj = CniJson.ParseObject(json, "network config");
        return obj.ContainsKey("plugins") ? FromJson(obj) : FromConf(NetworkConfig.FromJson(obj));
    }

    public static NetworkConfigList FromJson(JsonObject raw)
    {
        const string where = "network config list";
        var name = ConfigFields.RequireName(raw, where);
        var versions = ReadVersions(raw, where);
        return new NetworkConfigList
        {
            Name = name,
            CniVersion = EffectiveVersion(ConfigFields.VersionText(raw, where), versions, where),
            CniVersions = versions,
            DisableCheck = ConfigFields.Flag(raw, "disableCheck", where),
            DisableGC = ConfigFields.Flag(raw, "disableGC", where),
            Plugins = ReadPlugins(raw, name),
            Raw = raw.DeepClone().AsObject(),
        };
    }

    /// <summary>Wraps one conf as <c>{name, cniVersion, plugins:[conf]}</c>, exactly as libcni does for .conf files.</summary>
    public static NetworkConfigList FromConf(NetworkConfig conf) => FromJson(new JsonObject
    {
        ["name"] = conf.Name,
        ["cniVersion"] = conf.CniVersionText ?? "",
        ["plugins"] = new JsonArray(conf.Raw.DeepClone()),
    });

    /// <summary>The <c>type</c> of plugin <paramref name="index"/> (validated at parse time).</summary>
    public string PluginType(int index) => ConfigFields.RequireString(Plugins[index], "type", $"plugin {index}");

    /// <summary>The <c>capabilities</c> of plugin <paramref name="index"/>.</summary>
    public IReadOnlyDictionary<string, bool> PluginCapabilities(int index) =>
        ConfigFields.Capabilities(Plugins[index], $"plugin {index}");

    public byte[] ToBytes() => CniJson.ToBytes(Raw);

    private static List<JsonObject> ReadPlugins(JsonObject raw, string name)
    {
        var where = $"network config list \"{name}\"";
        if (raw["plugins"] is not JsonArray array || array.Count == 0)
        {
            throw CniException.InvalidConfig($"{where}: \"plugins\" must be a non-empty list of plugin configs");
        }
        var plugins = new List<JsonObject>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            var plugin = array[i] as JsonObject
                ?? throw CniException.InvalidConfig($"{where}: plugins[{i}] must be an object", $"got {CniJson.Describe(array[i])}");
            var pluginWhere = $"{where} plugins[{i}]";
            ConfigFields.RequireString(plugin, "type", pluginWhere);
            ConfigFields.Capabilities(plugin, pluginWhere);
            plugins.Add(plugin.DeepClone().AsObject());
        }
        return plugins;
    }

    private static List<CniVersion> ReadVersions(JsonObject raw, string where)
    {
        var node = raw["cniVersions"];
        if (node is null)
        {
            return [];
        }
        if (node is not JsonArray array)
        {
            throw CniException.InvalidConfig($"{where}: \"cniVersions\" must be a list of version strings", $"got {CniJson.Describe(node)}");
        }
        var versions = new List<CniVersion>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            var text = JsonScalars.String(array[i])
                ?? throw CniException.InvalidConfig($"{where}: cniVersions[{i}] must be a string", $"got {CniJson.Describe(array[i])}");
            versions.Add(ConfigFields.ParseVersion(text, $"{where}: cniVersions[{i}]"));
        }
        return versions;
    }

    private static CniVersion EffectiveVersion(string? cniVersion, List<CniVersion> versions, string where)
    {
        var declared = ConfigFields.ParseVersion(cniVersion, where);
        if (versions.Count == 0)
        {
            return declared;
        }
        var candidates = versions.Where(v => v <= CniVersion.Latest).ToList();
        if (!string.IsNullOrEmpty(cniVersion) && declared <= CniVersion.Latest)
        {
            candidates.Add(declared);
        }
        return candidates.Count > 0 ? candidates.Max() : declared;
    }
}
