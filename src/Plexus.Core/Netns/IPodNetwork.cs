using Plexus.Core.Routes;

namespace Plexus.Core.Netns;

/// <summary>What the meta-plugin itself does inside a pod's network namespace.</summary>
internal interface IPodNetwork
{
    Task<bool> InterfaceExistsAsync(string netnsPath, string ifName, CancellationToken cancellationToken);

    /// <summary>Per family: drop that family's default routes from the other interfaces, then route default via the gateway.</summary>
    Task ApplyDefaultRoutesAsync(string netnsPath, IReadOnlyList<DefaultRouteChange> changes, CancellationToken cancellationToken);
}
