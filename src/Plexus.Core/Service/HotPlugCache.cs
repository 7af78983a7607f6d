using Plexus.Core.Cache;
using Plexus.Core.Config;
using Plexus.Core.Planning;

namespace Plexus.Core.Service;

/// <summary>
/// Keeps the pod's delegate cache in step with hot-plugs. A hot-plugged attachment joins it, so the pod's own DEL
/// (the runtime's, when the pod goes before an unplug) releases that network too, as Multus's DEL does for the
/// networks the controller wrote into the pod's annotation; an unplug takes it out again.
/// </summary>
internal static class HotPlugCache
{
    public static void Add(Session session, Attachment attachment, CancellationToken cancellationToken)
    {
        // No cache, or the empty one a DEL leaves: the pod was not attached by this cniDir (or is going away).
        if (session.Cache.Load(session.ContainerId, cancellationToken).Cache is not { Attachments.Count: > 0 } cache)
        {
            session.Log(LogLevel.Verbose, $"container {session.ContainerId}: no delegate cache in {session.Config.CniDir}; " +
                $"the pod's DEL will not remove network {attachment.Network} ({attachment.IfName}), only its unplug will");
            return;
        }
        session.Cache.Save(cache with { Attachments = [.. Without(cache, attachment), CachedAttachment.From(attachment)] }, cancellationToken);
    }

    public static void Remove(Session session, Attachment attachment, CancellationToken cancellationToken)
    {
        if (session.Cache.Load(session.ContainerId, cancellationToken).Cache is { } cache && Without(cache, attachment) is var rest
            && rest.Count < cache.Attachments.Count)
        {
            session.Cache.Save(cache with { Attachments = rest }, cancellationToken);
        }
    }

    private static List<CachedAttachment> Without(DelegateCache cache, Attachment attachment) =>
        cache.Attachments.Where(c => c.IfName != attachment.IfName || c.Network != attachment.Network).ToList();
}
