namespace Plexus.Core.Service;

/// <summary>
/// Told how long each attachment's ADD, DEL or CHECK took: every plugin of its network's chain and its result cache, once
/// per attachment (plexusd's latency histogram); the one-shot plugin passes none and pays nothing.
/// </summary>
public interface IAttachmentObserver
{
    /// <param name="verb">ADD, DEL or CHECK.</param>
    /// <param name="network">
    /// <c>namespace/name</c> of a NetworkAttachmentDefinition; for a network from the config (the cluster network's conf, a
    /// static delegate) its conf <c>name</c>, which has no <c>/</c>: the names network-status gives them.
    /// </param>
    /// <param name="elapsed">Also when the verb failed or was cancelled.</param>
    void Completed(string verb, string network, TimeSpan elapsed);
}
