using System.Text.Json.Nodes;
using Plexus.Cni.Config;
using Plexus.Cni.Json;
using Plexus.Cni.Results;

namespace Plexus.Cni.Invoke;

/// <summary>
/// The runtime side of CNI, as libcni runs a conflist: ADD in order with prevResult chaining and a
/// result cache, DEL in reverse with the cached result, CHECK (0.4.0+, unless disableCheck), and
/// GC/STATUS (1.1.0+) sent only to delegates whose VERSION answer lists 1.1.0.
/// </summary>
public sealed partial class DelegateRuntime(IPluginExecutor executor, PluginVersionCache versions, ResultCache cache, IReadOnlyList<string> binDirs)
{
    /// <summary>Runs ADD for every plugin of <paramref name="list"/> and caches the final result.</summary>
    /// <param name="cacheInBackground">Write the result cache while the caller goes on; <see cref="FlushResultCaches"/> waits for it.</param>
    public async Task<CniResult> AddNetworkListAsync(NetworkConfigList list, RuntimeConf runtime, CancellationToken cancellationToken, bool cacheInBackground = false)
    {
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(runtime);
        cache.PathFor(list.Name, runtime.ContainerId, runtime.IfName);
        CniResult? result = null;
        for (var i = 0; i < list.Plugins.Count; i++)
        {
            var invocation = Invocation(list, i, "ADD", runtime, PluginStdin.Build(list, i, result, runtime.CapabilityArgs));
            var stdout = await executor.ExecuteAsync(invocation, cancellationToken).ConfigureAwait(false);
            result = ParseResult(invocation, list.CniVersion, stdout);
        }
        cache.Save(list, runtime, result!, cancellationToken, cacheInBackground);
        return result!;
    }

    /// <summary>Waits for the result caches written in the background; throws the first failure (code 5).</summary>
    public void FlushResultCaches() => cache.Flush();

    /// <summary>Runs DEL for every plugin in reverse order (each gets the cached result from 0.4.0 on), then drops the cache entry.</summary>
    public async Task DelNetworkListAsync(NetworkConfigList list, RuntimeConf runtime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(runtime);
        var cached = list.CniVersion.SupportsCheck ? cache.TryLoad(list.Name, runtime, list.CniVersion, cancellationToken) : null;
        for (var i = list.Plugins.Count - 1; i >= 0; i--)
        {
            var invocation = Invocation(list, i, "DEL", runtime, PluginStdin.Build(list, i, cached, runtime.CapabilityArgs));
            await executor.ExecuteAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
        cache.Delete(list.Name, runtime, cancellationToken);
    }

    /// <summary>Runs CHECK for every plugin in order with the cached result; a no-op when the list sets disableCheck.</summary>
    public async Task CheckNetworkListAsync(NetworkConfigList list, RuntimeConf runtime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(runtime);
        if (!list.CniVersion.SupportsCheck)
        {
            throw new CniException(CniErrorCode.IncompatibleVersion,
                $"network \"{list.Name}\": configuration version \"{list.CniVersion}\" does not support the CHECK command", "CHECK needs cniVersion 0.4.0 or later");
        }
        if (list.DisableCheck)
        {
            return;
        }
        var cached = cache.TryLoad(list.Name, runtime, list.CniVersion, cancellationToken);
        for (var i = 0; i < list.Plugins.Count; i++)
        {
            var invocation = Invocation(list, i, "CHECK", runtime, PluginStdin.Build(list, i, cached, runtime.CapabilityArgs));
            await executor.ExecuteAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The cached ADD result of an attachment in the list's version, or null.</summary>
    public CniResult? GetCachedResult(NetworkConfigList list, RuntimeConf runtime, CancellationToken cancellationToken) =>
        cache.TryLoad(list.Name, runtime, list.CniVersion, cancellationToken);

    private PluginInvocation Invocation(NetworkConfigList list, int index, string command, RuntimeConf runtime, JsonObject stdin) => new()
    {
        PluginPath = executor.Locate(list.PluginType(index), binDirs),
        Command = command,
        ContainerId = runtime.ContainerId,
        NetnsPath = runtime.NetnsPath,
        IfName = runtime.IfName,
        Args = runtime.Args,
        PluginDirs = binDirs,
        Stdin = CniJson.ToBytes(stdin),
        NetworkName = list.Name,
    };

    // libcni's fix-up: a result without cniVersion is in the config's version; the chain continues in the list's version.
    private static CniResult ParseResult(PluginInvocation invocation, CniVersion version, byte[] stdout)
    {
        try
        {
            return CniResult.Parse(stdout, version).ConvertTo(version);
        }
        catch (CniException ex)
        {
            throw ex.In($"{invocation.Describe()} returned an unusable ADD result");
        }
    }
}
