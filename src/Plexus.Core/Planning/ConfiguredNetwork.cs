using Plexus.Cni;
using Plexus.Cni.ConfFiles;

namespace Plexus.Core.Planning;

/// <summary>
/// A network the admin names by path in the config (<c>clusterNetwork</c> or a <c>defaultNetworks</c> entry):
/// upstream reads any value with a '/' as a file, or as a directory whose first usable <c>.conf</c> or
/// <c>.conflist</c> is the network. Needs no API server.
/// </summary>
internal static class ConfiguredNetwork
{
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
