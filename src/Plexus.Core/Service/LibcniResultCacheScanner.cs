using System.Text.Json;
using System.Text.Json.Nodes;
using Plexus.Cni;
using Plexus.Core.Planning;

namespace Plexus.Core.Service;

/// <summary>
/// Rebuilds a container's attachments from libcni result-cache entries
/// (<c>&lt;cacheDir&gt;/results/&lt;net&gt;-&lt;containerID&gt;-&lt;ifname&gt;</c>, each holding the exact
/// conflist and capability args), for a DEL whose delegate cache is missing or corrupt.
/// Unreadable entries are skipped: this is a best effort.
/// </summary>
internal static class LibcniResultCacheScanner
{
    public static List<Attachment> Attachments(string cacheDir, string containerId, string? clusterIfName, CancellationToken cancellationToken)
    {
        var dir = Path.Combine(cacheDir, "results");
        if (!Directory.Exists(dir))
        {
            return [];
        }
        var found = new List<Attachment>();
        foreach (var path in Directory.EnumerateFiles(dir, $"*-{containerId}-*"))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (TryRead(path, containerId) is { } attachment)
            {
                found.Add(attachment with { Index = found.Count });
            }
        }
        // The cluster network was attached first, so it is deleted last.
        return found.OrderBy(a => a.IfName == clusterIfName ? 0 : 1).ThenBy(a => a.IfName, StringComparer.Ordinal)
            .Select((a, i) => a with { Index = i }).ToList();
    }

    private static Attachment? TryRead(string path, string containerId)
    {
        try
        {
            if (JsonNode.Parse(File.ReadAllBytes(path)) is not JsonObject entry
                || entry["kind"]?.GetValue<string>() != "cniCacheV1"
                || entry["containerId"]?.GetValue<string>() != containerId
                || entry["ifName"]?.GetValue<string>() is not { } ifName
                || entry["config"]?.GetValue<string>() is not { } config
                || JsonNode.Parse(Convert.FromBase64String(config)) is not JsonObject conf)
            {
                return null;
            }
            return new Attachment
            {
                Index = 0,
                Network = entry["networkName"]?.GetValue<string>() ?? conf["name"]?.GetValue<string>() ?? ifName,
                IfName = ifName,
                Conf = conf.ContainsKey("plugins") ? conf : new JsonObject { ["name"] = conf["name"]?.DeepClone(), ["cniVersion"] = conf["cniVersion"]?.DeepClone(), ["plugins"] = new JsonArray(conf) },
                CapabilityArgs = entry["capabilityArgs"] as JsonObject is { } caps ? (JsonObject)caps.DeepClone() : null,
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }
}
