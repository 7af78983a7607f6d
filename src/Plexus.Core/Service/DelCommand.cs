using Plexus.Cni;
using Plexus.Core.Config;
using Plexus.Core.Cache;
using Plexus.Core.Planning;

namespace Plexus.Core.Service;

/// <summary>
/// DEL: undo every cached attachment in reverse, trying all of them; the cache keeps only what
/// failed, so a retry repeats just that. Without a usable cache, libcni's result caches of the
/// container are used, so addresses are not leaked. Needs neither the API server nor the pod.
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
        var attachments = load.Cache?.Attachments.Select((a, i) => a.ToAttachment(i)).ToList() ?? Recover(session, load, cancellationToken);
        if (attachments.Count == 0)
        {
            session.Log(LogLevel.Verbose, $"container {session.ContainerId}: no delegate cache and no result cache; nothing to delete");
            return;
        }
        var failures = await DetachAsync(session, attachments.AsEnumerable().Reverse().ToList(), cancellationToken).ConfigureAwait(false);
        Remember(session, failures, cancellationToken);
        if (failures.Count > 0)
        {
            throw new CniException(failures[0].Error.Code,
                $"container {session.ContainerId}: DEL failed for {string.Join("; ", failures.Select(f => $"network {f.Attachment.Network} ({f.Attachment.IfName}): {f.Error.Message}"))}",
                "the failed attachments stay in the delegate cache and are retried on the next DEL");
        }
    }

    /// <summary>Deletes the attachments in the given order, trying every one; returns those that failed.</summary>
    public static async Task<List<Failure>> DetachAsync(Session session, IReadOnlyList<Attachment> attachments, CancellationToken cancellationToken)
    {
        var failures = new List<Failure>();
        foreach (var attachment in attachments)
        {
            try
            {
                await session.Runtime.DelNetworkListAsync(Session.ListOf(attachment), session.RuntimeFor(attachment), cancellationToken).ConfigureAwait(false);
            }
            catch (CniException e)
            {
                failures.Add(new Failure(attachment, e));
            }
        }
        return failures;
    }

    /// <summary>Keeps exactly the attachments still to delete in the cache (none: the cache is removed).</summary>
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

    private static List<Attachment> Recover(Session session, DelegateCacheLoad load, CancellationToken cancellationToken)
    {
        if (load.Problem is not null)
        {
            session.Log(LogLevel.Error, $"{load.Problem}; deleting from the result caches instead");
        }
        return LibcniResultCacheScanner.Attachments(session.Config.CniDir, session.ContainerId, session.Invocation.IfName, cancellationToken);
    }
}
