using Plexus.Cni.ConfFiles;
using Plexus.Core.Config;
using Plexus.Core.Planning;

namespace Plexus.Core.Service;

/// <summary>
/// The networks the current config attaches to every pod, found without the API server, for STATUS
/// and GC: the <c>clusterNetwork</c> when it is a path or a config in <c>confDir</c> (ADD then
/// ignores <c>delegates</c>), otherwise every entry of <c>delegates</c>.
/// </summary>
internal static class OfflineNetworks
{
    public static IReadOnlyList<DelegateNetwork> Networks(Session session, string verb, CancellationToken cancellationToken)
    {
        var config = session.Config;
        if (string.IsNullOrWhiteSpace(config.ClusterNetwork))
        {
            return [.. Enumerable.Range(0, config.Delegates?.Count ?? 0).Select(i => ConfiguredNetwork.Static(config, i))];
        }
        if (OfflineCluster(config, cancellationToken) is { } cluster)
        {
            return [cluster];
        }
        session.Log(LogLevel.Verbose,
            $"{verb}: clusterNetwork \"{config.ClusterNetwork}\" is not a config in {config.ConfDir}, so it can only be a NetworkAttachmentDefinition; " +
            $"{verb} does not ask the API server and skips it");
        return [];
    }

    /// <summary>
    /// <c>clusterNetwork</c> as a file or directory path, or as the name of a config in <c>confDir</c>;
    /// null when it can only be a NetworkAttachmentDefinition. A path that does not load is an error, as in ADD.
    /// </summary>
    private static DelegateNetwork? OfflineCluster(MetaConfig config, CancellationToken cancellationToken)
    {
        var name = config.ClusterNetwork!;
        return ConfiguredNetwork.IsPath(name)
            ? ConfiguredNetwork.FromPath(name, "clusterNetwork", cancellationToken)
            : NadConfigResolver.FromConfDir(name, name, ConfDirStore.List(config.ConfDir, cancellationToken));
    }
}
