using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using System.Text.Json;
using Plexus.Cni.Config;
using Plexus.Cni.Json;
using Plexus.Cni;

namespace Plexus.NodeAgent.Rendering;

/// <summary>
/// Renders Plexus's conflist around the primary (pure). The primary is embedded as
/// <c>delegates[0]</c> (the cluster network) rather than referenced by file name, so the
/// generated config can never point back at itself. Same input, same bytes.
/// </summary>
public static class ConfigRenderer
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The file's bytes, or why it cannot be rendered (an expected outcome, not an exception).</summary>
    public static RenderResult Render(NetworkConfigList primary, ConfigSettings settings)
    {
        // The version text as written: the generated file must say what the primary says.
        var primaryVersion = StringOf(primary.Raw, "cniVersion") ?? "";
        var version = settings.CniVersion is null or "" || settings.CniVersion == primaryVersion
            ? primaryVersion
            : settings.ForceCniVersion
                ? settings.CniVersion
                : null;
        if (version is null)
        {
            return RenderResult.Fail($"cniVersion {settings.CniVersion} was requested but the primary network uses " +
                $"\"{primaryVersion}\"; use the primary's version or add --force-cni-version");
        }
        if (!CniVersion.TryParse(version, out var parsed) || !parsed.IsSupported)
        {
            return RenderResult.Fail($"cniVersion \"{version}\" is not a CNI version Plexus supports " +
                $"({string.Join(", ", CniVersion.Supported)})");
        }
        var name = settings.OverrideNetworkName ? primary.Name : settings.NetworkName;
        var plugin = new JsonObject { ["type"] = settings.PluginType };
        var capabilities = Capabilities(primary);
        if (capabilities.Count > 0)
        {
            plugin["capabilities"] = capabilities;
        }
        AddIfSet(plugin, "kubeconfig", settings.Kubeconfig);
        plugin["confDir"] = settings.NetConfDir;
        plugin["cniDir"] = settings.CniCacheDir;
        plugin["binDir"] = settings.BinDir;
        AddIfSet(plugin, "logLevel", settings.LogLevel);
        AddIfSet(plugin, "logFile", settings.LogFile);
        if (settings.LogToStderr is { } toStderr)
        {
            plugin["logToStderr"] = toStderr;
        }
        plugin["namespaceIsolation"] = settings.NamespaceIsolation;
        AddIfSet(plugin, "globalNamespaces", settings.GlobalNamespaces);
        AddIfSet(plugin, "readinessindicatorfile", settings.ReadinessIndicatorFile);
        AddIfSet(plugin, "daemonSocketDir", settings.DaemonSocketDir);
        AddIfSet(plugin, "daemonSocketName", settings.DaemonSocketName);
        plugin["delegates"] = new JsonArray(primary.Raw.DeepClone());
        var root = new JsonObject
        {
            ["cniVersion"] = version.Length == 0 ? CniVersion.V010.ToString() : version,
            ["name"] = name,
            ["plugins"] = new JsonArray(plugin),
        };
        return RenderResult.Ok(Serialize(root), primary.Name);
    }

    /// <summary>The capabilities any of the primary's plugins declares true, in first-seen order.</summary>
    public static JsonObject Capabilities(NetworkConfigList primary)
    {
        var result = new JsonObject();
        for (var i = 0; i < primary.Plugins.Count; i++)
        {
            foreach (var (key, on) in primary.PluginCapabilities(i))
            {
                if (on && !result.ContainsKey(key))
                {
                    result[key] = true;
                }
            }
        }
        return result;
    }

    private static byte[] Serialize(JsonObject root)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            root.WriteTo(writer);
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static void AddIfSet(JsonObject obj, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            obj[key] = value;
        }
    }

    private static string? StringOf(JsonObject obj, string key) => JsonScalars.String(obj[key]);
}
