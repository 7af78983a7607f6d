using System.Text.Json.Nodes;
using Plexus.Cni.Config;
using Plexus.Cni.Invoke;
using Plexus.Cni.Json;
using Plexus.Cni;
using Plexus.Core.Cache;
using Plexus.Core.Planning;

namespace Plexus.Core.Service;

/// <summary>CHECK of every attachment, GC forwarded with each network's valid attachments, STATUS of the static networks.</summary>
internal static class MaintenanceCommands
{
    public static async Task CheckAsync(Session session, CancellationToken cancellationToken)
    {
        var load = session.Cache.Load(session.ContainerId, cancellationToken);
        var cache = load.Cache ?? throw new CniException(CniErrorCode.ContainerUnknown,
            $"container {session.ContainerId} has no usable delegate cache in {session.Config.CniDir}: {load.Problem ?? "it was never added"}");
        foreach (var attachment in cache.Attachments.Select((a, i) => a.ToAttachment(i)))
        {
            var list = Session.ListOf(attachment);
            if (!list.CniVersion.SupportsCheck)
            {
                continue;
            }
            try
            {
                await session.Runtime.CheckNetworkListAsync(list, session.RuntimeFor(attachment), cancellationToken).ConfigureAwait(false);
            }
            catch (CniException e)
            {
                throw new CniException(e.Code, $"container {session.ContainerId}: CHECK of network {attachment.Network} ({attachment.IfName}): {e.Message}", e.Details, e);
            }
        }
    }

    public static async Task GcAsync(Session session, CancellationToken cancellationToken)
    {
        var valid = ValidContainers(session.Invocation.Config.Raw);
        var caches = AllCaches(session, cancellationToken);
        var networks = new Dictionary<string, NetworkConfigList>(StringComparer.Ordinal);
        var attachments = new Dictionary<string, List<GcAttachment>>(StringComparer.Ordinal);
        foreach (var cache in caches)
        {
            foreach (var attachment in cache.Attachments.Select((a, i) => a.ToAttachment(i)))
            {
                var list = Session.ListOf(attachment);
                networks[list.Name] = list;
                var forNetwork = attachments.TryGetValue(list.Name, out var known) ? known : attachments[list.Name] = [];
                if (valid.Contains(cache.ContainerId))
                {
                    forNetwork.Add(new GcAttachment(cache.ContainerId, attachment.IfName));
                }
            }
        }
        // The current config describes the static networks better than an old cache does.
        foreach (var list in StaticLists(session))
        {
            networks[list.Name] = list;
        }
        var errors = new List<string>();
        foreach (var (name, list) in networks)
        {
            try
            {
                await session.Runtime.GcNetworkListAsync(list, attachments.TryGetValue(name, out var keep) ? keep : [], cancellationToken).ConfigureAwait(false);
            }
            catch (CniException e)
            {
                errors.Add($"network {name}: {e.Message}");
            }
        }
        foreach (var stale in caches.Where(c => !valid.Contains(c.ContainerId)))
        {
            session.Cache.Delete(stale.ContainerId, cancellationToken);
        }
        if (errors.Count > 0)
        {
            throw CniException.Io($"GC failed for {string.Join("; ", errors)}");
        }
    }

    public static async Task StatusAsync(Session session, CancellationToken cancellationToken)
    {
        foreach (var list in StaticLists(session))
        {
            await session.Runtime.StatusNetworkListAsync(list, cancellationToken).ConfigureAwait(false);
        }
    }

    private static HashSet<string> ValidContainers(JsonObject stdin)
    {
        var list = stdin["cni.dev/valid-attachments"] as JsonArray ?? stdin["cni.dev/attachments"] as JsonArray ?? [];
        var containers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var attachment in list)
        {
            if (attachment is JsonObject obj && JsonScalars.String(obj["containerID"]) is { } containerId)
            {
                containers.Add(containerId);
            }
        }
        return containers;
    }

    private static List<DelegateCache> AllCaches(Session session, CancellationToken cancellationToken) =>
        !Directory.Exists(session.Config.CniDir) ? [] :
        Directory.EnumerateFiles(session.Config.CniDir)
            .Select(Path.GetFileName)
            .Where(name => CniNames.IsValidId(name))
            .Select(name => session.Cache.Load(name!, cancellationToken).Cache)
            .OfType<DelegateCache>()
            .ToList();

    private static IEnumerable<NetworkConfigList> StaticLists(Session session) =>
        (session.Config.Delegates ?? []).OfType<JsonObject>()
            .Select((conf, i) => DelegateNetwork.Create(conf, $"delegates[{i}]", $"{session.Config.Name ?? "plexus"}-delegate{i}").List);
}
