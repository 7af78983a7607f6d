using System.Text.Json.Nodes;
using Plexus.Cni;
using Plexus.Cni.ConfFiles;
using Plexus.Core.Config;

namespace Plexus.Core.Planning;

/// <summary>
/// Multus's <c>auxiliaryCNIChainName</c>: the plugin confs (<c>.conf</c>/<c>.json</c>, in load
/// order) found in the directory of that name next to the cluster network's config are appended
/// to the cluster network's plugin list, so they run on every pod's cluster interface with the
/// cluster network's result as <c>prevResult</c> (libcni's subdirectory chain loading), and are
/// undone by DEL in reverse with it.
/// </summary>
internal static class AuxiliaryChain
{
    /// <summary>
    /// The chain's directory. Upstream derives it from <c>clusterNetwork</c>, which is a file path in
    /// its generated configs; a cluster network given as a directory is that directory. A cluster
    /// network with no file of its own (inline <c>delegates[0]</c>, a NAD, a conf name) has no
    /// directory upstream, and thin mode uses the one Plexus reads network files from: <c>confDir</c>.
    /// </summary>
    public static string DirectoryOf(MetaConfig config, string chainName)
    {
        var cluster = config.ClusterNetwork;
        var baseDir = string.IsNullOrWhiteSpace(cluster) || !cluster.StartsWith('/')
            ? config.ConfDir
            : Directory.Exists(cluster) ? cluster : Path.GetDirectoryName(cluster) ?? config.ConfDir;
        return Path.Combine(baseDir, chainName);
    }

    /// <summary>
    /// The cluster network with the chain's plugins appended; unchanged when the directory holds none.
    /// A file that cannot be read or is not a plugin conf is an error naming it: running the chain
    /// partly would give pods a network the administrator did not configure.
    /// </summary>
    public static DelegateNetwork Append(DelegateNetwork cluster, IReadOnlyList<ConfFile> files)
    {
        var confs = files.Where(f => !ConfFileNames.IsList(f.Name)).ToList();
        if (confs.Count == 0)
        {
            return cluster;
        }
        var list = (JsonObject)cluster.Conf.DeepClone();
        var plugins = list["plugins"]!.AsArray();
        foreach (var file in confs)
        {
            if (file.Content is null)
            {
                throw CniException.InvalidConfig($"auxiliary CNI chain file {file.Path}: {file.Unreadable}",
                    "fix or remove the file; every pod's cluster network runs the chain");
            }
            try
            {
                plugins.Add(ConfFileLoader.LoadList(file.Name, file.Content)["plugins"]![0]!.DeepClone());
            }
            catch (CniException e)
            {
                throw e.In($"auxiliary CNI chain file {file.Path}");
            }
        }
        return cluster with { List = Cni.Config.NetworkConfigList.FromJson(list) };
    }
}
