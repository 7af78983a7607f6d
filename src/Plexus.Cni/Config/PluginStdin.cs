using System.Text.Json.Nodes;
using Plexus.Cni.Results;

namespace Plexus.Cni.Config;

/// <summary>
/// Builds the stdin for one plugin of a conflist, as libcni does: the plugin's own config with
/// <c>name</c> and <c>cniVersion</c> of the list, <c>prevResult</c> when given, and
/// <c>runtimeConfig</c> = the runtime's capability args filtered to the plugin's capabilities that
/// are <c>true</c> (left untouched when nothing matches). Every other key passes through unchanged
/// and in place. Pure: the list is not modified.
/// </summary>
public static class PluginStdin
{
    /// <param name="prevResult">Converted to the list's version so the plugin can read it; null for the first ADD.</param>
    /// <param name="capabilityArgs">The runtime's capability args, e.g. <c>portMappings</c>, <c>io.kubernetes.cri.pod-annotations</c>.</param>
    public static JsonObject Build(
        NetworkConfigList list,
        int pluginIndex,
        CniResult? prevResult,
        IReadOnlyDictionary<string, JsonNode?>? capabilityArgs)
    {
        var conf = list.Plugins[pluginIndex].DeepClone().AsObject();
        conf["name"] = list.Name;
        conf["cniVersion"] = list.CniVersion.ToString();
        if (prevResult is not null)
        {
            conf["prevResult"] = prevResult.ConvertTo(list.CniVersion).ToJson();
        }
        var runtimeConfig = new JsonObject();
        if (capabilityArgs is not null)
        {
            foreach (var (capability, enabled) in list.PluginCapabilities(pluginIndex))
            {
                if (enabled && capabilityArgs.TryGetValue(capability, out var value))
                {
                    runtimeConfig[capability] = value?.DeepClone();
                }
            }
        }
        if (runtimeConfig.Count > 0)
        {
            conf["runtimeConfig"] = runtimeConfig;
        }
        return conf;
    }
}
