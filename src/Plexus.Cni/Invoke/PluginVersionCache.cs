using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text;
using Plexus.Cni.Json;

namespace Plexus.Cni.Invoke;

/// <summary>
/// Asks each delegate which spec versions it supports (CNI_COMMAND=VERSION) once per process and
/// remembers the answer by plugin path, so GC/STATUS/CHECK decisions cost no extra process runs.
/// A failed probe is not cached.
/// </summary>
public sealed class PluginVersionCache(IPluginExecutor executor)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<IReadOnlyList<CniVersion>>>> _versions = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<CniVersion>> GetSupportedVersionsAsync(string pluginPath, CancellationToken cancellationToken)
    {
        var entry = _versions.GetOrAdd(pluginPath, path => new Lazy<Task<IReadOnlyList<CniVersion>>>(() => ProbeAsync(path, cancellationToken)));
        return ForgetOnFailure(pluginPath, entry);
    }

    public async Task<bool> SupportsAsync(string pluginPath, CniVersion version, CancellationToken cancellationToken) =>
        (await GetSupportedVersionsAsync(pluginPath, cancellationToken).ConfigureAwait(false)).Contains(version);

    /// <summary>Reads a VERSION answer: <c>{"cniVersion","supportedVersions":[…]}</c>; a plugin older than VERSION's list supports 0.1.0 only.</summary>
    internal static IReadOnlyList<CniVersion> ParseVersionInfo(ReadOnlySpan<byte> stdout, string who)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(stdout);
        }
        catch (JsonException ex)
        {
            throw CniException.Decode($"{who} answered VERSION with invalid JSON: {ex.Message}", Encoding.UTF8.GetString(stdout));
        }
        if (node is not JsonObject info)
        {
            throw CniException.Decode($"{who} answered VERSION with something other than a JSON object", Encoding.UTF8.GetString(stdout));
        }
        if (info["supportedVersions"] is not JsonArray list)
        {
            return [CniVersion.V010];
        }
        var versions = new List<CniVersion>();
        foreach (var item in list)
        {
            if (JsonScalars.String(item) is not { } text || !CniVersion.TryParse(text, out var version))
            {
                throw CniException.Decode($"{who} answered VERSION with an invalid entry in supportedVersions: {item?.ToJsonString()}");
            }
            versions.Add(version);
        }
        return versions;
    }

    private async Task<IReadOnlyList<CniVersion>> ProbeAsync(string pluginPath, CancellationToken cancellationToken)
    {
        var invocation = new PluginInvocation
        {
            PluginPath = pluginPath,
            Command = "VERSION",
            Stdin = Encoding.UTF8.GetBytes($"{{\"cniVersion\":\"{CniVersion.Latest}\"}}"),
        };
        var stdout = await executor.ExecuteAsync(invocation, cancellationToken).ConfigureAwait(false);
        return ParseVersionInfo(stdout, invocation.Describe());
    }

    private async Task<IReadOnlyList<CniVersion>> ForgetOnFailure(string pluginPath, Lazy<Task<IReadOnlyList<CniVersion>>> entry)
    {
        try
        {
            return await entry.Value.ConfigureAwait(false);
        }
        catch
        {
            _versions.TryRemove(new KeyValuePair<string, Lazy<Task<IReadOnlyList<CniVersion>>>>(pluginPath, entry));
            throw;
        }
    }
}
