using System.Text.Json.Nodes;
using Plexus.Cni.Config;
using Plexus.Cni.Json;

namespace Plexus.Cni.Invoke;

/// <summary>GC and STATUS: spec 1.1.0 verbs that must only reach delegates advertising 1.1.0.</summary>
public sealed partial class DelegateRuntime
{
    /// <summary>
    /// libcni's GC: unless the list sets disableGC, DEL every cached attachment of this network that is
    /// not in <paramref name="validAttachments"/>, then (list 1.1.0+) send GC with the valid attachments
    /// to every plugin that supports 1.1.0. Everything is tried; failures are reported together.
    /// </summary>
    public async Task GcNetworkListAsync(NetworkConfigList list, IReadOnlyList<GcAttachment> validAttachments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(validAttachments);
        if (list.DisableGC)
        {
            return;
        }
        var errors = new List<CniException>();
        var valid = validAttachments.ToHashSet();
        foreach (var stale in cache.List(cancellationToken).Where(e => e.NetworkName == list.Name && !valid.Contains(new GcAttachment(e.Runtime.ContainerId, e.Runtime.IfName))))
        {
            await CollectAsync(errors, () => DelNetworkListAsync(list, stale.Runtime, cancellationToken)).ConfigureAwait(false);
        }
        if (list.CniVersion.SupportsGcAndStatus)
        {
            var attachments = new JsonArray([.. validAttachments.Select(a => (JsonNode)new JsonObject { ["containerID"] = a.ContainerId, ["ifname"] = a.IfName })]);
            foreach (var invocation in await GcAndStatusInvocationsAsync(list, "GC", conf => conf["cni.dev/valid-attachments"] = attachments.DeepClone(), cancellationToken).ConfigureAwait(false))
            {
                await CollectAsync(errors, () => executor.ExecuteAsync(invocation, cancellationToken)).ConfigureAwait(false);
            }
        }
        if (errors.Count > 0)
        {
            throw new CniException(errors[0].Code, $"GC of network \"{list.Name}\" failed: {string.Join("; ", errors.Select(e => e.Message))}", errors[0].Details);
        }
    }

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
            var path = executor.Locate(list.PluginType(i), binDirs);
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
}
