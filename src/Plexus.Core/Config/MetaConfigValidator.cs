using System.Text.Json.Nodes;
using Plexus.Cni.Json;

namespace Plexus.Core.Config;

/// <summary>Checks a decoded config and returns every problem found, not just the first.</summary>
internal static class MetaConfigValidator
{
    public static IReadOnlyList<string> Validate(MetaConfig config)
    {
        var errors = new List<string>();
        var delegates = config.Delegates ?? [];
        if (delegates.Count == 0 && string.IsNullOrWhiteSpace(config.ClusterNetwork))
        {
            errors.Add("neither \"delegates\" nor \"clusterNetwork\" is set: name the cluster network in one of them");
        }
        // Upstream reads delegates only without a clusterNetwork, which wins over them.
        if (string.IsNullOrWhiteSpace(config.ClusterNetwork))
        {
            for (var i = 0; i < delegates.Count; i++)
            {
                ValidateDelegate(delegates[i], i, errors);
            }
        }
        var defaults = config.DefaultNetworks ?? [];
        for (var i = 0; i < defaults.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(defaults[i]))
            {
                errors.Add($"defaultNetworks[{i}] is empty: give a NetworkAttachmentDefinition or config name, or a path");
            }
        }
        if (config.AuxiliaryCniChainName is { Length: > 0 } chain && !Cni.CniNames.IsValidId(chain))
        {
            errors.Add($"auxiliaryCNIChainName \"{chain}\" is not a valid network name (^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$): it names a directory next to the cluster network's config");
        }
        ValidateLogOptions(config.LogOptions, errors);
        return errors;
    }

    private static void ValidateDelegate(JsonObject? conf, int index, List<string> errors)
    {
        if (conf is null)
        {
            errors.Add($"delegates[{index}] is null: give a conf or conflist object");
            return;
        }
        var hasType = JsonScalars.String(conf["type"]) is { Length: > 0 };
        var hasPlugins = conf.TryGetPropertyValue("plugins", out var plugins) && plugins is JsonArray;
        if (!hasType && !hasPlugins)
        {
            errors.Add($"delegates[{index}] has neither \"type\" nor \"plugins\": it must be a conf or a conflist");
        }
        if (conf["name"] is { } name && JsonScalars.String(name) is null)
        {
            errors.Add($"delegates[{index}] has a \"name\" that is not a string: {name.ToJsonString()}");
        }
    }

    private static void ValidateLogOptions(LogOptions? options, List<string> errors)
    {
        if (options is null)
        {
            return;
        }
        if (options.MaxAge < 0 || options.MaxSize < 0 || options.MaxBackups < 0)
        {
            errors.Add("logOptions maxAge, maxSize and maxBackups must not be negative");
        }
    }
}
