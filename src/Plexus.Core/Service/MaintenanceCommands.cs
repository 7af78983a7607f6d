using Plexus.Cni.Config;
using Plexus.Cni.Invoke;
using Plexus.Cni;
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
        var configured = OfflineNetworks.Lists(session, "GC", cancellationToken);
        var caches = AllCaches(session, valid, cancellationToken);
        var networks = new Dictionary<string, NetworkConfigList>(StringComparer.Ordinal);
        var attachments = new Dictionary<string, List<GcAttachment>>(StringComparer.Ordinal);
        var networksOf = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var cache in caches)
        {
            var names = networksOf[cache.ContainerId] = new HashSet<string>(StringComparer.Ordinal);
            foreach (var attachment in cache.Attachments)
            {
                var list = Session.ListOf(attachment);
                networks[list.Name] = list;
                names.Add(list.Name);
                var forNetwork = attachments.TryGetValue(list.Name, out var known) ? known : attachments[list.Name] = [];
                if (valid.ContainsKey(cache.ContainerId))
                {
                    forNetwork.Add(new GcAttachment(cache.ContainerId, attachment.IfName));
                }
            }
        }
        foreach (var list in configured)
        {
            networks[list.Name] = list;
        }
        var failures = new List<(string Network, CniException Error)>();
        foreach (var (name, list) in networks)
        {
            try
            {
                await session.Runtime.GcNetworkListAsync(list, attachments.TryGetValue(name, out var keep) ? keep : [], cancellationToken).ConfigureAwait(false);
            }
            catch (CniException e)
            {
                failures.Add((name, e));
            }
        }
        // A stale container on a network whose GC failed keeps its cache: it is how the next GC finds that network again.
        var failed = failures.Select(f => f.Network).ToHashSet(StringComparer.Ordinal);
        var kept = 0;
        foreach (var stale in caches.Where(c => !valid.ContainsKey(c.ContainerId)))
        {
            if (networksOf[stale.ContainerId].Overlaps(failed))
            {
                kept++;
                continue;
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
        if (failures.Count > 0)
        {
            // The first failure's code: the one code all share when they agree (e.g. 11, try again later).
            throw new CniException(failures[0].Error.Code,
                $"GC failed for {string.Join("; ", failures.Select(f => $"network {f.Network}: {f.Error.Message}"))}",
                $"the delegate caches of {kept} stale container(s) on the failed network(s) were kept in {session.Config.CniDir}; the next GC retries them");
        }
    }

    public static async Task StatusAsync(Session session, CancellationToken cancellationToken)
    {
        if (session.Config.ReadinessIndicatorFile is { Length: > 0 } readiness && !ReadinessGate.IsReady(readiness))
        {
            throw new CniException(CniErrorCode.PluginNotAvailable,
                $"the readiness indicator file {readiness} does not exist: ADD waits up to {ReadinessGate.Limit.TotalSeconds:0} s for it and then fails",
                "the cluster network is not ready yet; it creates this file when it is");
        }
        foreach (var list in OfflineNetworks.Lists(session, "STATUS", cancellationToken))
        {
            await session.Runtime.StatusNetworkListAsync(list, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A container's cached attachments, from Plexus's cache or Multus's.</summary>
    private sealed record CachedContainer(string ContainerId, List<Attachment> Attachments);

    /// <summary>
    /// Every container with a usable cache. Multus's count as Plexus's do: the runtime lists the pods Multus added as
    /// valid too, and their attachments must be kept rather than taken for stale ones on networks Plexus shares with them.
    /// </summary>
    private static List<CachedContainer> AllCaches(Session session, Dictionary<string, string> valid, CancellationToken cancellationToken) =>
        !Directory.Exists(session.Config.CniDir) ? [] :
        [.. Directory.EnumerateFiles(session.Config.CniDir)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(CniNames.IsValidId)
            .Select(id => session.AttachmentsOf(session.Cache.Load(id, cancellationToken), id, ClusterIfNameOf(id, valid)) is { } attachments
                ? new CachedContainer(id, attachments)
                : null)
            .OfType<CachedContainer>()];

    // Multus's cache does not record the cluster network's interface: a valid container's is the one the runtime lists.
    // A stale container's attachments are never listed to a delegate, so its cluster interface name is never used.
    private static string ClusterIfNameOf(string containerId, Dictionary<string, string> valid) =>
        valid.TryGetValue(containerId, out var ifName) ? ifName : "eth0";
}
