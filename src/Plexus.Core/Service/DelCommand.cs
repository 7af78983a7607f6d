using Plexus.Cni;
using Plexus.Cni.Invoke;
using Plexus.Core.Config;
using Plexus.Core.Cache;
using Plexus.Core.Planning;

namespace Plexus.Core.Service;

/// <summary>
/// DEL: undo every cached attachment in reverse, trying all of them. What happens to those that
/// failed is Multus's <c>retryDeleteOnError</c>: when true the cache keeps exactly them, so the
/// runtime's retry repeats just those; when false (the default) the error is reported once and the
/// next DEL succeeds without running them, so a delegate whose DEL always fails cannot keep the
/// runtime retrying (and the pod Terminating) forever. A pod Multus added (the node was switched in place) has
/// Multus's cache in the same file: its attachments are deleted as Multus's DEL would. Without a usable cache,
/// libcni's result caches of the container are used, so addresses are not leaked. Needs neither the API server nor the pod.
/// </summary>
internal static class DelCommand
{
    public sealed record Failure(Attachment Attachment, CniException Error);

    public static async Task RunAsync(Session session, CancellationToken cancellationToken)
    {
        if (session.Config.ReadinessIndicatorFile is { Length: > 0 } readiness && !File.Exists(readiness))
        {
            session.Log(LogLevel.Error, $"readiness indicator file {readiness} is missing; deleting anyway");
        }
        var load = session.Cache.Load(session.ContainerId, cancellationToken);
        if (load.Cache is { Attachments.Count: 0 })
        {
            session.Log(LogLevel.Verbose, $"container {session.ContainerId}: an earlier DEL already ran every delegate (retryDeleteOnError is false); nothing left to delete");
            // The result caches of the delegates whose DEL failed were kept for the operator until now; they go with the
            // record, or they would stay in cniDir forever (no later DEL or GC knows the container).
            var results = new ResultCache(session.Config.CniDir);
            foreach (var entry in results.List(cancellationToken).Where(e => e.Runtime.ContainerId == session.ContainerId))
            {
                results.Delete(entry.NetworkName, entry.Runtime, cancellationToken);
            }
            session.Cache.Delete(session.ContainerId, cancellationToken);
            return;
        }
        var attachments = session.AttachmentsOf(load, session.ContainerId, session.IfName)
            ?? FromResultCaches(session, load, session.ContainerId, session.Invocation.IfName, cancellationToken);
        if (load.Multus is not null)
        {
            session.Log(LogLevel.Verbose, $"container {session.ContainerId}: the delegate cache {load.Path} is Multus's (the pod was added by Multus); " +
                $"deleting {string.Join(", ", attachments.Select(a => $"{a.Network} ({a.IfName})").Reverse())} as Multus would");
        }
        if (attachments.Count == 0)
        {
            session.Log(LogLevel.Verbose, $"container {session.ContainerId}: no delegate cache and no result cache; nothing to delete");
            // An ADD killed while saving its cache leaves only the temp file; this DEL is its last chance to go.
            session.Cache.Delete(session.ContainerId, cancellationToken);
            return;
        }
        var failures = await DetachAsync(session, attachments.AsEnumerable().Reverse().ToList(), cancellationToken).ConfigureAwait(false);
        if (failures.Count == 0 || session.Config.RetryDeleteOnError)
        {
            Remember(session, failures, cancellationToken);
        }
        else
        {
            Settle(session, cancellationToken);
        }
        if (failures.Count > 0)
        {
            throw new CniException(failures[0].Error.Code,
                $"container {session.ContainerId}: DEL failed for {string.Join("; ", failures.Select(f => $"network {f.Attachment.Network} ({f.Attachment.IfName}): {f.Error.Message}"))}",
                session.Config.RetryDeleteOnError
                    ? "retryDeleteOnError is true: the failed attachments stay in the delegate cache and are retried on the next DEL"
                    : "retryDeleteOnError is false: the next DEL will not run these delegates again; remove what they left behind by hand, or set retryDeleteOnError to true to have DEL retried");
        }
    }

    /// <summary>
    /// Leaves an empty cache as the record that DEL already ran: deleting the file instead would send
    /// the next DEL to the libcni result caches, which still name the failed attachments, and retry them anyway.
    /// </summary>
    private static void Settle(Session session, CancellationToken cancellationToken) =>
        session.Cache.Save(new DelegateCache { ContainerId = session.ContainerId, Netns = session.Invocation.Netns, Attachments = [] }, cancellationToken);

    /// <summary>Deletes the attachments in the given order, trying every one; returns those that failed.</summary>
    public static async Task<List<Failure>> DetachAsync(Session session, IReadOnlyList<Attachment> attachments, CancellationToken cancellationToken)
    {
        var failures = new List<Failure>();
        foreach (var attachment in attachments)
        {
            try
            {
                await session.DelAttachmentAsync(attachment, cancellationToken).ConfigureAwait(false);
            }
            catch (CniException e)
            {
                failures.Add(new Failure(attachment, e));
            }
            if (attachment.DeviceInfoFile is { } deviceInfo && session.DeviceInfo.Remove(deviceInfo) is { } problem)
            {
                session.Log(LogLevel.Verbose, problem);
            }
        }
        return failures;
    }

    /// <summary>
    /// Keeps exactly the attachments still to delete in the cache (none: the cache is removed), as this DEL ran them.
    /// A pod Multus added gets them in Plexus's format too: Multus's takes its first element for the cluster network
    /// (on the runtime's interface, without its own requests as capability args), so it cannot hold a remainder whose
    /// cluster network is already deleted. Each is kept as this DEL derived it from Multus's cache: interface, config,
    /// capability args and device-info file. Each also records whether it is the cluster network, as the remainder may
    /// start with any network: an unplug (see <see cref="HotPlugCache.Remove"/>) takes out all but that one.
    /// </summary>
    public static void Remember(Session session, IReadOnlyList<Failure> failures, CancellationToken cancellationToken)
    {
        if (failures.Count == 0)
        {
            session.Cache.Delete(session.ContainerId, cancellationToken);
            return;
        }
        session.Cache.Save(new DelegateCache
        {
            ContainerId = session.ContainerId,
            Netns = session.Invocation.Netns,
            Attachments = failures.AsEnumerable().Reverse().Select(f => CachedAttachment.From(f.Attachment)).ToList(),
        }, cancellationToken);
    }

    /// <summary>
    /// The best effort for a container whose delegate cache is missing or unusable (<paramref name="load"/>'s problem is logged):
    /// its attachments as libcni's result caches hold them, so DEL and GC still release what they know of.
    /// </summary>
    public static List<Attachment> FromResultCaches(Session session, DelegateCacheLoad load, string containerId, string? clusterIfName, CancellationToken cancellationToken)
    {
        if (load.Problem is not null)
        {
            session.Log(LogLevel.Error, $"{load.Problem}; deleting from the result caches instead");
        }
        return LibcniResultCacheScanner.Attachments(session.Config.CniDir, containerId, clusterIfName, cancellationToken);
    }
}
