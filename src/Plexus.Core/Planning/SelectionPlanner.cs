using Plexus.Cni;
using Plexus.Core.Config;
using Plexus.Core.Selection;

namespace Plexus.Core.Planning;

/// <summary>Decides which networks a pod gets from the config and the pod's annotations.</summary>
internal static class SelectionPlanner
{
    public static PodSelections Plan(MetaConfig config, string podNamespace, Func<string, string?> annotation)
    {
        var multusNamespace = config.EffectiveMultusNamespace;
        var clusterOverride = NetworkSelectionParser.ParseDefaultNetwork(
            annotation(NetworkSelectionParser.DefaultNetworkAnnotation), multusNamespace);
        // Upstream adds defaultNetworks only beside a clusterNetwork; with static delegates they are ignored.
        IReadOnlyList<string> defaults = string.IsNullOrWhiteSpace(config.ClusterNetwork) || config.EffectiveSystemNamespaces.Contains(podNamespace)
            ? []
            : config.DefaultNetworks ?? [];
        var requested = NetworkSelectionParser.Parse(annotation(NetworkSelectionParser.NetworksAnnotation), podNamespace);
        if (config.NamespaceIsolation)
        {
            CheckIsolation(requested, podNamespace, config.EffectiveGlobalNamespaces);
            // The override's own default namespace is where the admin keeps cluster networks; any
            // other namespace is a tenant's, which upstream let any pod take as its cluster network.
            if (clusterOverride is not null && clusterOverride.Namespace != multusNamespace)
            {
                CheckIsolation([clusterOverride], podNamespace, config.EffectiveGlobalNamespaces);
            }
        }
        return new PodSelections(clusterOverride, defaults, requested);
    }

    private static void CheckIsolation(IReadOnlyList<NetworkSelection> selections, string podNamespace, IReadOnlyList<string> globalNamespaces)
    {
        foreach (var selection in selections)
        {
            var target = selection.Namespace!;
            if (target != podNamespace && !globalNamespaces.Contains(target))
            {
                throw CniException.InvalidConfig(
                    $"namespace isolation enabled, annotation violates permission, pod is in namespace {podNamespace} but refers to target namespace {target}",
                    $"network {selection.QualifiedName}; allowed namespaces: {podNamespace}, {string.Join(", ", globalNamespaces)}");
            }
        }
    }
}
