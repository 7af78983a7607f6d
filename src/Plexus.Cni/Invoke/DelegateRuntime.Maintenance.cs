using System.Text.Json.Nodes;
using Plexus.Cni.Config;
using Plexus.Cni.Json;

namespace Plexus.Cni.Invoke;

/// <summary>GC and STATUS: spec 1.1.0 verbs that must only reach delegates advertising 1.1.0.</summary>
public sealed partial class DelegateRuntime
{
    /// <summary>
    /// libcni's GC of the networks called one name: usually one list, but distinct configs can share a name (NADs of one
    /// name in several namespaces) and then share libcni's result cache entries, which are keyed by name. Unless one of
    /// them sets disableGC, DEL every cached attachment of that name not in <paramref name="validAttachments"/>, each with
    /// the config it was added with (its entry's); then, with <paramref name="sendToPlugins"/>, send GC with the valid attachments
    /// to every plugin that supports 1.1.0 of each list that is 1.1.0+ and does not set disableGC. Everything is tried; failures are reported together.
    /// </summary>
    public async Task GcNetworkListsAsync(IReadOnlyList<NetworkConfigList> lists, IReadOnlyList<GcAttachment> validAttachments, bool sendToPlugins, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lists);
        ArgumentNullException.ThrowIfNull(validAttachments);
        if (lists.Count == 0 || lists.Any(l => l.Name != lists[0].Name))
        {
            throw new ArgumentException("GC takes one or more network lists that share one name", nameof(lists));
        }
        var name = lists[0].Name;
        var errors = new List<CniException>();
        // Which of them added an entry is known only from the entry: one that disables GC keeps every attachment of the name.
        if (!lists.Any(l => l.DisableGC))
        {
            var valid = validAttachments.ToHashSet();
            foreach (var stale in cache.List(cancellationToken).Where(e => e.NetworkName == name && !valid.Contains(new GcAttachment(e.Runtime.ContainerId, e.Runtime.IfName))))
            {
                await CollectAsync(errors, () => DelNetworkListAsync(AddedWith(stale, lists), stale.Runtime, cancellationToken)).ConfigureAwait(false);
            }
        }
        var attachments = new JsonArray([.. validAttachments.Select(a => (JsonNode)new JsonObject { ["containerID"] = a.ContainerId, ["ifname"] = a.IfName })]);
        foreach (var list in lists.Where(l => sendToPlugins && !l.DisableGC && l.CniVersion.SupportsGcAndStatus))
        {
            foreach (var invocation in await GcAndStatusInvocationsAsync(list, "GC", conf => conf["cni.dev/valid-attachments"] = attachments.DeepClone(), cancellationToken).ConfigureAwait(false))
            {
                await CollectAsync(errors, () => executor.ExecuteAsync(invocation, cancellationToken)).ConfigureAwait(false);
            }
        }
        if (errors.Count > 0)
        {
            throw new CniException(errors[0].Code, $"GC of network \"{name}\" failed: {string.Join("; ", errors.Select(e => e.Message))}", errors[0].Details);
        }
    }

    /// <summary>
    /// The config a stale attachment was added with, as its result cache entry holds it: deleting it with another network's
    /// plugins and IPAM would leave its own (addresses leak). An entry without a usable one (an old libcni wrote none) is
    /// deleted with the one network of its name, as libcni would; when several share the name, none of them can be chosen.
    /// </summary>
    private static NetworkConfigList AddedWith(ResultCacheEntry entry, IReadOnlyList<NetworkConfigList> lists) =>
        entry.AddedConfig() ?? (lists.Count == 1
            ? lists[0]
            : throw CniException.Decode(
                $"the result cache entry of container {entry.Runtime.ContainerId} ({entry.Runtime.IfName}) on network \"{entry.NetworkName}\" holds no usable config " +
                $"and {lists.Count} different networks are named \"{entry.NetworkName}\", so GC cannot tell which one to delete it with",
                "delete that attachment with its network's config (CNI DEL), then remove the entry from the result cache"));

    /// <summary>Every attachment in the result cache (libcni's GetCachedAttachments); unreadable entries are skipped.</summary>
    public IReadOnlyList<ResultCacheEntry> CachedAttachments(CancellationToken cancellationToken) => cache.List(cancellationToken);

    /// <summary>Asks every plugin that supports 1.1.0 for STATUS (list 1.1.0+); the first failure (e.g. code 50) is thrown.</summary>
    public async Task StatusNetworkListAsync(NetworkConfigList list, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(list);
        if (!list.CniVersion.SupportsGcAndStatus)
        {
            return;
        }
        foreach (var invocation in await GcAndStatusInvocationsAsync(list, "STATUS", _ => { }, cancellationToken).ConfigureAwait(false))
        {
            await executor.ExecuteAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task CollectAsync(List<CniException> errors, Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (CniException ex)
        {
            errors.Add(ex);
        }
    }

    private async Task<List<PluginInvocation>> GcAndStatusInvocationsAsync(NetworkConfigList list, string command, Action<JsonObject> amend, CancellationToken cancellationToken)
    {
        var invocations = new List<PluginInvocation>();
        for (var i = 0; i < list.Plugins.Count; i++)
        {
            var path = Locate(list, i, command);
            // Plugins that stop at 1.0.0 (Debian's) answer GC/STATUS with an error: never send them.
            if (!await versions.SupportsAsync(path, CniVersion.V110, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }
            var conf = PluginStdin.Build(list, i, null, null);
            amend(conf);
            invocations.Add(new PluginInvocation { PluginPath = path, Command = command, PluginDirs = binDirs, Stdin = CniJson.ToBytes(conf), NetworkName = list.Name });
        }
        return invocations;
    }

    // STATUS asks whether ADD can be served, and a plugin that is not installed cannot serve it: CNI 1.1's code 50.
    // GC keeps the lookup's own error (5): the spec gives GC no such code.
    private string Locate(NetworkConfigList list, int index, string command)
    {
        try
        {
            return executor.Locate(list.PluginType(index), binDirs);
        }
        catch (CniException e) when (command == "STATUS" && e.Code == CniErrorCode.IoFailure)
        {
            throw new CniException(CniErrorCode.PluginNotAvailable, $"network \"{list.Name}\" cannot serve ADD: {e.Message}", e.Details);
        }
    }
}
