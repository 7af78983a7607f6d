namespace Plexus.Core.Ports;

/// <summary>Reads NetworkAttachmentDefinitions; a missing one is a value, other failures throw.</summary>
public interface INetworkAttachmentClient
{
    Task<NadLookup> GetAsync(string @namespace, string name, CancellationToken cancellationToken);
}
