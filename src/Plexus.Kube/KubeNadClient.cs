using System.Net;
using Plexus.Core.Ports;

namespace Plexus.Kube;

/// <summary>Reads NetworkAttachmentDefinitions (<c>k8s.cni.cncf.io/v1</c>).</summary>
internal sealed class KubeNadClient(KubeRawApi api) : INetworkAttachmentClient
{
    public async Task<NadLookup> GetAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        try
        {
            var nad = await api.GetAsync(KubePaths.Nad(@namespace, name), KubeObjectReader.ReadNadDocument, cancellationToken).ConfigureAwait(false);
            return new NadLookup(new NetworkAttachmentDefinition
            {
                Namespace = nad.Metadata?.Namespace ?? @namespace,
                Name = nad.Metadata?.Name ?? name,
                Config = nad.Spec?.Config,
                Annotations = nad.Metadata?.Annotations ?? new Dictionary<string, string>(),
            });
        }
        catch (Exception e) when (KubeFailures.StatusOf(e) == HttpStatusCode.NotFound)
        {
            return NadLookup.NotFound;
        }
        catch (Exception e) when (KubeFailures.IsTransportOrServer(e))
        {
            throw KubeFailures.ToCniError(e, $"cannot read NetworkAttachmentDefinition {@namespace}/{name}");
        }
    }
}
