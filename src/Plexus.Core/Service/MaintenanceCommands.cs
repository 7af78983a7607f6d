using Plexus.Cni.Config;
using Plexus.Cni.Invoke;
using Plexus.Cni;
using Plexus.Core.Cache;
using Plexus.Core.Config;
using Plexus.Core.Planning;

namespace Plexus.Core.Service;

/// <summary>CHECK of every attachment; GC forwarded with each network's valid attachments; STATUS of the readiness file and the configured networks.</summary>
internal static class MaintenanceCommands
{
    public static async Task CheckAsync(Session session, CancellationToken cancellationToken)
    {
        var load = session.Cache.Load(session.ContainerId, cancellationToken);
        var attachments = session.AttachmentsOf(load, session.ContainerId, session.IfName) ?? throw new CniException(CniErrorCode.ContainerUnknown,
            $"container {session.ContainerId} has no usable delegate cache in {session.Config.CniDir}: {load.Problem ?? "it was never added"}");
        foreach (var attachment in attachments)
        {
            var list = Session.ListOf(attachment);
            if (!list.CniVersion.SupportsCheck)
            {
                continue;
            }
            try
            {
                await session.CheckAttachmentAsync(attachment, list, cancellationToken).ConfigureAwait(false);
            }
            catch (CniException e)
            {
                throw e.In($"container {session.ContainerId}: CHECK of network {attachment.Network} ({attachment.IfName})");
            }
        }
    }

    public static async Task GcAsync(Session session, CancellationToken cancellationToken)
    {
        var valid = GcValidAttachments.ContainerIfNames(session.Invocation.Config.Raw);
        // The current config describes its networks better than an old cache does; resolved first so a broken one deletes nothing.
        var configured = OfflineNetworks.Networks(session, "GC", cancellationToken);
        var (caches, unusable) = AllCaches(session, valid, cancellationToken);
        // A stale container whose cache does not decode is collected as its DEL would: from its result caches. Then its file goes,
        // or every GC would try it again. One that cannot be read at all is kept and reported: what else it names is unknown.
        var recovered = unusable.Where(u => !valid.ContainsKey(u.Key) && !u.Value.IsUnreadable)
            .Select(u => new CachedContainer(u.Key, DelCommand.FromResultCaches(session, u.Value, u.Key, ClusterIfNameOf(u.Key, valid), cancellationToken)))
            .ToList();
        var unreadable = unusable.Where(u => !valid.ContainsKey(u.Key) && u.Value.IsUnreadable).ToList();
        // Keyed by the network (a NAD's namespace/name), not its config name: NADs of one name in several namespaces are
        // different networks with their own plugins. Valid attachments and failures go by config name, as libcni's result cache does.
        var networks = new Dictionary<string, NetworkConfigList>(StringComparer.Ordinal);
        var attachments = new Dictionary<string, HashSet<GcAttachment>>(StringComparer.Ordinal);
        var networksOf = recovered.ToDictionary(r => r.ContainerId, r => r.Attachments.Select(a => a.Network).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var cache in caches)
        {
            var names = networksOf[cache.ContainerId] = new HashSet<string>(StringComparer.Ordinal);
            foreach (var attachment in cache.Attachments)
            {
                var list = Session.ListOf(attachment);
                networks[attachment.Network] = list;
                names.Add(list.Name);
                var forNetwork = ValidOn(attachments, list.Name);
                if (valid.ContainsKey(cache.ContainerId))
                {
                    forNetwork.Add(new GcAttachment(cache.ContainerId, attachment.IfName));
                }
            }
        }
        // A running container keeps every attachment the result cache holds for it, whether or not its delegate cache says so:
        // one Plexus cannot read (or that is gone) must not turn a live pod's interfaces into stale ones.
        var cachedAttachments = session.Runtime.CachedAttachments(cancellationToken);
        foreach (var entry in cachedAttachments.Where(e => valid.ContainsKey(e.Runtime.ContainerId)))
        {
            ValidOn(attachments, entry.NetworkName).Add(new GcAttachment(entry.Runtime.ContainerId, entry.Runtime.IfName));
        }
        var usable = caches.Select(c => c.ContainerId).ToHashSet(StringComparer.Ordinal);
        var unknown = new List<string>();
        foreach (var id in valid.Keys.Where(id => !usable.Contains(id)))
        {
            var problem = unusable.TryGetValue(id, out var load)
                ? $"its delegate cache is unusable: {load.Problem}"
                : $"it has no delegate cache in {session.Config.CniDir} (was cniDir changed since it was added?)";
            var inResultCache = cachedAttachments.Count(e => e.Runtime.ContainerId == id);
            if (inResultCache == 0)
            {
                unknown.Add(id);
            }
            session.Log(LogLevel.Error,
                $"GC: container {id} is listed as valid but {problem}; its {inResultCache} attachment(s) in the result cache " +
                "are kept and listed as valid to their networks' GC; its DEL falls back to the result cache");
        }
        // A running container whose attachments are known nowhere would be missing from every valid list: a plugin that keeps
        // its own state (host-local's leases) would release its live addresses. Stale entries are still deleted.
        var sendToPlugins = unknown.Count == 0;
        if (!sendToPlugins)
        {
            session.Log(LogLevel.Error,
                $"GC: the attachments of running container(s) {string.Join(", ", unknown)} are in no cache, so GC is not sent to the delegate plugins " +
                "(their valid lists would leave those attachments out); stale cached attachments are still deleted");
        }
        foreach (var network in configured)
        {
            networks[network.DisplayName] = network.List;
        }
        // A network that only result cache entries still know (its NAD deleted, its pods' delegate caches gone) gets GC too, with the
        // config its attachments were added with. Only for names no known network has: an old config of a known name (a NAD
        // edited since) would make that name ambiguous, and its stale entries without a config could then never be deleted.
        // Each distinct config is GC'd once, however many networks or entries hold it.
        var knownNames = networks.Values.Select(list => list.Name).ToHashSet(StringComparer.Ordinal);
        var lists = networks.Values
            .Concat(cachedAttachments.Where(e => !knownNames.Contains(e.NetworkName)).Select(e => e.AddedConfig()).OfType<NetworkConfigList>())
            .DistinctBy(list => Convert.ToBase64String(list.ToBytes()), StringComparer.Ordinal)
            .ToList();
        var failures = new List<(string Network, CniException Error)>();
        foreach (var sameName in lists.GroupBy(list => list.Name, StringComparer.Ordinal))
        {
            try
            {
                await session.Runtime.GcNetworkListsAsync([.. sameName], InOrder(attachments.GetValueOrDefault(sameName.Key)), sendToPlugins, cancellationToken).ConfigureAwait(false);
            }
            catch (CniException e)
            {
                failures.Add((sameName.Key, e));
            }
        }
        var unremovable = DeleteUnusableEntries(session, cachedAttachments, valid, lists.Select(l => l.Name).ToHashSet(StringComparer.Ordinal), cancellationToken);
        // A stale container on a network whose GC failed keeps its cache: it is how the next GC finds that network again.
        var failed = failures.Select(f => f.Network).ToHashSet(StringComparer.Ordinal);
        var kept = 0;
        foreach (var stale in caches.Where(c => !valid.ContainsKey(c.ContainerId)).Concat(recovered))
        {
            if (networksOf[stale.ContainerId].Overlaps(failed))
            {
                kept++;
                continue;
            }
            if (unusable.TryGetValue(stale.ContainerId, out var undecodable))
            {
                session.Log(LogLevel.Error,
                    $"GC: the delegate cache of stale container {stale.ContainerId} could not be decoded ({undecodable.Problem}); " +
                    "its attachments were collected from the result cache, and the file is removed");
            }
            session.Cache.Delete(stale.ContainerId, cancellationToken);
            // Its NPWG device-info files go with it, as a DEL would remove them.
            foreach (var file in stale.Attachments.Select(a => a.DeviceInfoFile).OfType<string>())
            {
                if (session.DeviceInfo.Remove(file) is { } problem)
                {
                    session.Log(LogLevel.Verbose, problem);
                }
            }
        }
        if (failures.Count > 0 || unreadable.Count > 0 || unremovable.Count > 0)
        {
            throw GcFailure(session, failures, kept, unreadable, unremovable);
        }
    }

    /// <summary>
    /// Removes the result cache entries of stale containers that no GC of a network deletes: on a name no known network has,
    /// without a usable config of their own (none, one that does not parse, another network's) to run DEL with. Nothing can
    /// use them, and every GC would read them again. Returns those that could not be removed, with why.
    /// </summary>
    private static List<(ResultCacheEntry Entry, CniException Error)> DeleteUnusableEntries(Session session, IReadOnlyList<ResultCacheEntry> cachedAttachments,
        Dictionary<string, string> valid, HashSet<string> collectedNames, CancellationToken cancellationToken)
    {
        var results = new ResultCache(session.Config.CniDir);
        var unremovable = new List<(ResultCacheEntry Entry, CniException Error)>();
        foreach (var entry in cachedAttachments.Where(e => !valid.ContainsKey(e.Runtime.ContainerId) && !collectedNames.Contains(e.NetworkName)))
        {
            try
            {
                results.DeleteListed(entry, cancellationToken);
            }
            catch (CniException e)
            {
                unremovable.Add((entry, e));
                continue;
            }
            session.Log(LogLevel.Error,
                $"GC: removed the result cache entry {entry.Path} of stale container {entry.Runtime.ContainerId} ({entry.Runtime.IfName}) on network " +
                $"\"{entry.NetworkName}\": {entry.ConfigProblem()} and no known network has that name, so its attachment could not be cleaned up " +
                "(no config to run DEL with); check the node for what it may have left, such as its addresses in the IPAM's store " +
                "(host-local's under /var/lib/cni/networks), and release them by hand");
        }
        return unremovable;
    }

    /// <summary>
    /// One error for everything GC could not do: the networks whose GC failed, the stale caches it could not read and the
    /// unusable result cache entries it could not remove.
    /// </summary>
    private static CniException GcFailure(Session session, List<(string Network, CniException Error)> failures, int kept,
        List<KeyValuePair<string, DelegateCacheLoad>> unreadable, List<(ResultCacheEntry Entry, CniException Error)> unremovable)
    {
        var advice = new List<string>();
        if (failures.Count > 0)
        {
            advice.Add($"the delegate caches of {kept} stale container(s) on the failed network(s) were kept in {session.Config.CniDir}; the next GC retries them");
        }
        if (unreadable.Count > 0)
        {
            advice.Add("an unreadable delegate cache is kept (its container's attachments in the result cache are collected like any other stale ones): " +
                "make it readable by the runtime (check its owner, mode and the disk) and the next GC deletes it, " +
                "or remove it once nothing of the container is left (interfaces, addresses)");
        }
        if (unremovable.Count > 0)
        {
            advice.Add("a result cache entry without a usable config, on a name no known network has, could not be removed (its attachment cannot be " +
                "cleaned up: release what it left, such as its addresses, by hand): make it removable by the runtime (check the owner, mode and " +
                "attributes of the file and its dir, and the disk) and the next GC removes it, or remove it yourself");
        }
        // The first failure's code: the one code all share when they agree (e.g. 11, try again later).
        return new CniException(failures.Count > 0 ? failures[0].Error.Code : CniErrorCode.IoFailure,
            "GC failed for " + string.Join("; ", failures.Select(f => $"network {f.Network}: {f.Error.Message}")
                .Concat(unreadable.Select(u => $"stale container {u.Key}: {u.Value.Problem}"))
                .Concat(unremovable.Select(u => $"stale container {u.Entry.Runtime.ContainerId}: {u.Error.Message}"))),
            string.Join("; ", advice));
    }

    public static async Task StatusAsync(Session session, CancellationToken cancellationToken)
    {
        if (session.Config.ReadinessIndicatorFile is { Length: > 0 } readiness && !ReadinessGate.IsReady(readiness))
        {
            throw new CniException(CniErrorCode.PluginNotAvailable,
                $"the readiness indicator file {readiness} does not exist: ADD waits up to {ReadinessGate.Limit.TotalSeconds:0} s for it and then fails",
                "the cluster network is not ready yet; it creates this file when it is");
        }
        foreach (var network in OfflineNetworks.Networks(session, "STATUS", cancellationToken))
        {
            await session.Runtime.StatusNetworkListAsync(network.List, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A container's cached attachments, from Plexus's cache or Multus's (or, for a stale one whose cache is corrupt, the result caches).</summary>
    private sealed record CachedContainer(string ContainerId, List<Attachment> Attachments);

    /// <summary>
    /// Every container with a usable cache, and the reads of the other cache files (why each is not one). Multus's count as Plexus's do: the runtime
    /// lists the pods Multus added as valid too, and their attachments must be kept rather than taken for stale ones on networks
    /// Plexus shares with them.
    /// </summary>
    private static (List<CachedContainer> Usable, Dictionary<string, DelegateCacheLoad> Unusable) AllCaches(
        Session session, Dictionary<string, string> valid, CancellationToken cancellationToken)
    {
        var usable = new List<CachedContainer>();
        var unusable = new Dictionary<string, DelegateCacheLoad>(StringComparer.Ordinal);
        if (!Directory.Exists(session.Config.CniDir))
        {
            return (usable, unusable);
        }
        foreach (var id in Directory.EnumerateFiles(session.Config.CniDir).Select(Path.GetFileName).OfType<string>().Where(CniNames.IsValidId))
        {
            var load = session.Cache.Load(id, cancellationToken);
            if (session.AttachmentsOf(load, id, ClusterIfNameOf(id, valid)) is { } attachments)
            {
                usable.Add(new CachedContainer(id, attachments));
            }
            else if (load.Problem is not null)
            {
                unusable[id] = load;
            }
        }
        return (usable, unusable);
    }

    private static HashSet<GcAttachment> ValidOn(Dictionary<string, HashSet<GcAttachment>> attachments, string network) =>
        attachments.TryGetValue(network, out var known) ? known : attachments[network] = [];

    // Sorted: what a delegate's GC is sent does not depend on the order the file system lists the caches in.
    private static List<GcAttachment> InOrder(HashSet<GcAttachment>? attachments) =>
        [.. (attachments ?? []).OrderBy(a => a.ContainerId, StringComparer.Ordinal).ThenBy(a => a.IfName, StringComparer.Ordinal)];

    // Multus's cache does not record the cluster network's interface: a valid container's is the one the runtime lists.
    // A stale container's attachments are never listed to a delegate, so its cluster interface name is never used.
    private static string ClusterIfNameOf(string containerId, Dictionary<string, string> valid) =>
        valid.TryGetValue(containerId, out var ifName) ? ifName : "eth0";
}
