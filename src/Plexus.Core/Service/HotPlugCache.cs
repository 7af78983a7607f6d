using Plexus.Cni;
using Plexus.Core.Cache;
using Plexus.Core.Config;
using Plexus.Core.Planning;

namespace Plexus.Core.Service;

/// <summary>
/// Keeps the pod's delegate cache in step with hot-plugs. A hot-plugged attachment joins it, so the pod's own DEL
/// (the runtime's, when the pod goes before an unplug) releases that network too; an unplug takes out the attachment it
/// detached, whether a hot-plug or the pod's ADD made it, so the pod's DEL does not run that network's DEL again. The
/// cache keeps its format: a pod Multus added (the node was switched in place) has Multus's cache, and the hot-plugged
/// attachment is written into it as one more element in Multus's own format.
/// </summary>
internal static class HotPlugCache
{
    /// <summary>
    /// The pod's cache, read before the hot-plug runs anything: an unusable one (corrupt, unreadable) could not record
    /// the network for the pod's DEL, so the hot-plug is refused and nothing on disk changes.
    /// </summary>
    public static DelegateCacheLoad LoadForAdd(Session session, CancellationToken cancellationToken)
    {
        var load = session.Cache.Load(session.ContainerId, cancellationToken);
        if (load.Problem is not { } problem)
        {
            return load;
        }
        var refused = $"{problem}; the hot-plugged network is recorded in the pod's delegate cache for the pod's DEL, so nothing was attached";
        throw load.IsUnreadable
            ? CniException.Io(refused, "check that plexusd can read that file (its owner and mode, those of cniDir, that it is a regular file), then hot-plug again")
            : CniException.Decode(refused, "repair or remove that file (without it the pod's DEL deletes from the libcni result caches), then hot-plug again");
    }

    public static void Add(Session session, DelegateCacheLoad load, Attachment attachment, CancellationToken cancellationToken)
    {
        if (load.Multus is { } multus)
        {
            session.Cache.SaveMultus(session.ContainerId, multus.WithHotPlugged(attachment), cancellationToken);
            session.Log(LogLevel.Verbose, $"container {session.ContainerId}: network {attachment.Network} ({attachment.IfName}) " +
                $"recorded in Multus's delegate cache {load.Path} (the pod was added by Multus), in Multus's format");
            return;
        }
        // No cache, or the empty one a DEL leaves: the pod was not attached by this cniDir (or is going away).
        if (load.Cache is not { Attachments.Count: > 0 } cache)
        {
            session.Log(LogLevel.Verbose, $"container {session.ContainerId}: no delegate cache in {session.Config.CniDir}; " +
                $"the pod's DEL will not remove network {attachment.Network} ({attachment.IfName}), only its unplug will");
            return;
        }
        session.Cache.Save(cache.WithHotPlugged(attachment), cancellationToken);
    }

    public static void Remove(Session session, Attachment attachment, CancellationToken cancellationToken)
    {
        var load = session.Cache.Load(session.ContainerId, cancellationToken);
        if (load.Multus is { } multus && multus.Without(attachment) is var multusRest && multusRest.Delegates.Count < multus.Delegates.Count)
        {
            session.Cache.SaveMultus(session.ContainerId, multusRest, cancellationToken);
        }
        else if (load.Cache is { } cache && cache.Without(attachment) is var rest && rest.Attachments.Count < cache.Attachments.Count)
        {
            session.Cache.Save(rest, cancellationToken);
        }
        else if (load.Problem is { } problem)
        {
            // The network is gone with its result cache, so the pod's DEL, falling back to the other result caches, will not run it again.
            session.Log(LogLevel.Error, $"{problem}; left as it is after unplugging network {attachment.Network} ({attachment.IfName})");
        }
    }
}
