using Plexus.Cni;
using Plexus.Core.Service;
using Plexus.Daemon.Protocol;
using Plexus.NodeAgent.Selection;

namespace Plexus.Daemon.Cni;

/// <summary>
/// <c>POST /delegate</c>: Multus's hot-plug of ONE network into a running pod. The body's config is that network
/// (never a meta-plugin config) and its <c>interfaceAttributes</c> are applied as a selection element's would be.
/// ADD answers the result in cniVersion 1.0.0, as Multus's daemon does.
/// </summary>
public sealed class HotPlugCallHandler(HotPlug hotPlug) : ICniCallHandler
{
    public async Task<CniOutcome> HandleAsync(CniCall call, CancellationToken cancellationToken)
    {
        try
        {
            if (MetaScanner.Scan(call.Body.Config).MetaTypes is [var meta, ..])
            {
                throw CniException.InvalidConfig($"/delegate takes the config of one network, not a meta-plugin config (type \"{meta}\")",
                    "send the network's own conf or conflist (for a NetworkAttachmentDefinition: its spec.config)");
            }
            var result = await hotPlug.RunAsync(call.Body.Env, call.Body.Config, AttributesOf(call.Body.InterfaceAttributes), cancellationToken)
                .ConfigureAwait(false);
            return CniOutcome.Success(CniVersion.V100, result?.ToJson());
        }
        catch (CniException e)
        {
            return CniOutcome.Failure(call.ErrorVersion, e);
        }
    }

    internal static HotPlugAttributes? AttributesOf(DelegateInterfaceAttributes? wire) =>
        wire is null ? null : new HotPlugAttributes { Ips = wire.Ips, Mac = wire.Mac, CniArgs = wire.CniArgs };
}
