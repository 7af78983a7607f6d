using Plexus.Cni;
using Plexus.Cni.ConfFiles;
using Plexus.Cni.Json;
using Plexus.Core.Config;

namespace Plexus.Core.Planning;

/// <summary>
/// Networks the admin gives in the config itself, found without the API server: an entry of
/// <c>delegates</c>, or a path named by <c>clusterNetwork</c> or a <c>defaultNetworks</c> entry (upstream
/// reads any value with a '/' as a file, or as a directory whose first usable <c>.conf</c> or <c>.conflist</c>
/// is the network).
/// </summary>
internal static class ConfiguredNetwork
{
    /// <summary><c>delegates[index]</c>, named by its own name, else after the plexus config and the index.</summary>
    public static DelegateNetwork Static(MetaConfig config, int index)
    {
        var conf = config.Delegates![index]!;
        var fallbackName = $"{config.Name ?? "plexus"}-delegate{index}";
        return DelegateNetwork.Create(conf, JsonScalars.String(conf["name"]) ?? fallbackName, fallbackName);
    }

    public static bool IsPath(string name) => name.Contains('/');

    /// <param name="key">The config key that named it, for the error.</param>
    public static DelegateNetwork FromPath(string path, string key, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(path))
        {
            return NadConfigResolver.FromFile(ConfDirStore.Read(path));
        }
        var files = ConfDirStore.List(path, cancellationToken).Where(f => !f.Name.EndsWith(".json", StringComparison.Ordinal)).ToList();
        return NadConfigResolver.FirstIn(files)
            ?? throw CniException.InvalidConfig($"{key} directory {path} holds no usable .conf or .conflist");
    }
}
