using Plexus.Cni;

namespace Plexus.Core.Service;

/// <summary>
/// The interface names already in the pod namespace, looked up once per call (each look enters the namespace):
/// a delegate must not be run on a name the pod has, its DEL would remove the pod's own interface.
/// </summary>
internal sealed class PodInterfaces(Session session)
{
    private IReadOnlySet<string>? names;

    public async Task EnsureAbsentAsync(string ifName, CancellationToken cancellationToken)
    {
        var netns = session.Invocation.Netns;
        if (string.IsNullOrEmpty(netns))
        {
            return;
        }
        names ??= await session.Host.PodNetwork.InterfaceNamesAsync(netns, cancellationToken).ConfigureAwait(false);
        if (names.Contains(ifName))
        {
            throw CniException.InvalidConfig($"interface {ifName} already exists in the pod namespace {netns}",
                "request another interface name for this network");
        }
    }
}
