using Plexus.Core.Routes;

namespace Plexus.Core.Netns;

/// <summary>What the meta-plugin itself does inside a pod's network namespace.</summary>
internal interface IPodNetwork
{
    /// <summary>The names of the links in the pod namespace.</summary>
    Task<IReadOnlySet<string>> InterfaceNamesAsync(string netnsPath, CancellationToken cancellationToken);

    /// <summary>Per family: drop that family's default routes from the other interfaces, then route default via the gateway.</summary>
    Task ApplyDefaultRoutesAsync(string netnsPath, IReadOnlyList<DefaultRouteChange> changes, CancellationToken cancellationToken);
}
