using Plexus.Cni.ConfFiles;
using Plexus.Cni.Json;
using Plexus.Cni;
using Plexus.Core.Config;
using Plexus.Core.Planning;
using Plexus.Core.Ports;
using Plexus.Core.Selection;

namespace Plexus.Core.Service;

/// <summary>
/// Turns the cluster network and the selected networks into delegate networks, reading each
/// distinct NAD once and the conf dir only when a NAD has no <c>spec.config</c>.
/// </summary>
internal sealed class NetworkResolver(Session session, PodIdentity? pod)
{
    private readonly Dictionary<(string, string), DelegateNetwork> nads = [];
    private IReadOnlyList<ConfFile>? confDir;

    /// <summary>The cluster network: the default-network override, else <c>clusterNetwork</c>, else <c>delegates[0]</c>.</summary>
    public Task<NetworkRequest> ClusterAsync(NetworkSelection? overrideSelection, CancellationToken cancellationToken) =>
        PodIdentity.NamingAsync(pod, () => FindClusterAsync(overrideSelection, cancellationToken));

    private async Task<NetworkRequest> FindClusterAsync(NetworkSelection? overrideSelection, CancellationToken cancellationToken)
    {
        if (overrideSelection is not null)
        {
            return new NetworkRequest(await NadAsync(overrideSelection.Namespace!, overrideSelection.Name, cancellationToken).ConfigureAwait(false), overrideSelection);
        }
        var config = session.Config;
        return string.IsNullOrWhiteSpace(config.ClusterNetwork)
            ? new NetworkRequest(StaticDelegate(0), null)
            : new NetworkRequest(await ByNameAsync(config.ClusterNetwork, "clusterNetwork", cancellationToken).ConfigureAwait(false), null);
    }

    /// <summary>The cluster network with the <c>auxiliaryCNIChainName</c> chain appended, when one is configured.</summary>
    public NetworkRequest WithAuxiliaryChain(NetworkRequest cluster, CancellationToken cancellationToken)
    {
        if (session.Config.AuxiliaryCniChainName is not { Length: > 0 } chain)
        {
            return cluster;
        }
        var dir = AuxiliaryChain.DirectoryOf(session.Config, chain);
        var network = AuxiliaryChain.Append(cluster.Network, ConfDirStore.List(dir, cancellationToken));
        var added = network.List.Plugins.Count - cluster.Network.List.Plugins.Count;
        session.Log(LogLevel.Verbose, $"auxiliary CNI chain \"{chain}\": {added} plugin(s) from {dir} appended to cluster network {cluster.Network.DisplayName}");
        return cluster with { Network = network };
    }

    /// <summary>Static delegates after the first; they apply only when <c>clusterNetwork</c> is not set.</summary>
    public IEnumerable<NetworkRequest> StaticExtras() =>
        string.IsNullOrWhiteSpace(session.Config.ClusterNetwork)
            ? Enumerable.Range(1, (session.Config.Delegates?.Count ?? 1) - 1).Select(i => new NetworkRequest(StaticDelegate(i), null))
            : [];

    /// <summary>The pod's extra networks in attachment order: the config's defaultNetworks, then its annotation's.</summary>
    public Task<IReadOnlyList<NetworkRequest>> ExtraAsync(PodSelections selections, CancellationToken cancellationToken) =>
        PodIdentity.NamingAsync(pod, () => FindExtraAsync(selections, cancellationToken));

    private async Task<IReadOnlyList<NetworkRequest>> FindExtraAsync(PodSelections selections, CancellationToken cancellationToken)
    {
        var requests = new List<NetworkRequest>(selections.DefaultNetworks.Count + selections.Requested.Count);
        foreach (var name in selections.DefaultNetworks)
        {
            requests.Add(new NetworkRequest(await ByNameAsync(name, "defaultNetworks entry", cancellationToken).ConfigureAwait(false), null));
        }
        foreach (var selection in selections.Requested)
        {
            requests.Add(new NetworkRequest(await NadAsync(selection.Namespace!, selection.Name, cancellationToken).ConfigureAwait(false), selection));
        }
        return requests;
    }

    /// <summary>
    /// A network the admin names in the config (<c>clusterNetwork</c>, a <c>defaultNetworks</c> entry), found as
    /// upstream finds it: a value with a '/' is a file or a directory; any other is a NetworkAttachmentDefinition in
    /// multusNamespace, else the config of that name in confDir.
    /// </summary>
    private async Task<DelegateNetwork> ByNameAsync(string name, string key, CancellationToken cancellationToken)
    {
        if (ConfiguredNetwork.IsPath(name))
        {
            return ConfiguredNetwork.FromPath(name, key, cancellationToken);
        }
        var multusNamespace = session.Config.EffectiveMultusNamespace;
        if (nads.TryGetValue((multusNamespace, name), out var known))
        {
            return known;
        }
        if (session.Kube is not null)
        {
            var lookup = await session.Kube.Definitions.GetAsync(multusNamespace, name, cancellationToken).ConfigureAwait(false);
            if (lookup.Definition is { } nad)
            {
                return nads[(multusNamespace, name)] = FromDefinition(nad, cancellationToken);
            }
        }
        return NadConfigResolver.FromConfDir(name, name, ConfDir(cancellationToken))
            ?? throw CniException.InvalidConfig(
                $"{key} \"{name}\" is neither a NetworkAttachmentDefinition in {multusNamespace} nor a config named so in {session.Config.ConfDir}",
                "create the NetworkAttachmentDefinition, put a config with that \"name\" in confDir, or give a file or directory path");
    }

    private async Task<DelegateNetwork> NadAsync(string ns, string name, CancellationToken cancellationToken)
    {
        if (nads.TryGetValue((ns, name), out var known))
        {
            return known;
        }
        var kube = session.Kube ?? throw CniException.InvalidConfig(
            $"network {ns}/{name} is a NetworkAttachmentDefinition, but plexus has no Kubernetes access",
            "set \"kubeconfig\" in the plexus config or run with the in-cluster service account");
        var lookup = await kube.Definitions.GetAsync(ns, name, cancellationToken).ConfigureAwait(false);
        if (lookup.Definition is not { } nad)
        {
            var message = $"cannot find a network-attachment-definition ({name}) in namespace ({ns})";
            await EventsAsync(kube, PodEvent.NoNetworkFound(message), cancellationToken).ConfigureAwait(false);
            throw CniException.InvalidConfig(message, "create the NetworkAttachmentDefinition or fix the pod's annotation");
        }
        var network = FromDefinition(nad, cancellationToken);
        nads[(ns, name)] = network;
        return network;
    }

    private DelegateNetwork FromDefinition(NetworkAttachmentDefinition nad, CancellationToken cancellationToken) =>
        NadConfigResolver.FromSpec(nad)
        ?? NadConfigResolver.FromConfDir(nad.Name, nad.QualifiedName, ConfDir(cancellationToken), nad.ResourceName)
        ?? throw CniException.InvalidConfig(
            $"NetworkAttachmentDefinition {nad.QualifiedName} has no spec.config and {session.Config.ConfDir} has no config named \"{nad.Name}\"");

    private DelegateNetwork StaticDelegate(int index) => ConfiguredNetwork.Static(session.Config, index);

    private IReadOnlyList<ConfFile> ConfDir(CancellationToken cancellationToken) =>
        confDir ??= ConfDirStore.List(session.Config.ConfDir, cancellationToken);

    private Task EventsAsync(KubernetesPorts kube, PodEvent podEvent, CancellationToken cancellationToken) =>
        pod is null ? Task.CompletedTask : PodEvents.RecordAsync(session, kube, pod.Ref, pod.Uid, podEvent, cancellationToken);
}
