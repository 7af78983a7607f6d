using System.Text.Json;
using System.Text.Json.Nodes;
using Plexus.Cni.Invoke;
using Plexus.Core.Planning;

namespace Plexus.Core.Service;

/// <summary>
/// Rebuilds a container's attachments from the result cache (libcni's format, read through
/// <see cref="ResultCache"/>: each entry holds the exact conflist and capability args), for a
/// DEL whose delegate cache is missing or corrupt. Unreadable entries are skipped: this is a best effort.
/// </summary>
internal static class LibcniResultCacheScanner
{
    public static List<Attachment> Attachments(string cacheDir, string containerId, string? clusterIfName, CancellationToken cancellationToken)
    {
        var found = new ResultCache(cacheDir).List(cancellationToken)
            .Where(entry => entry.Runtime.ContainerId == containerId)
            .Select(ToAttachment)
            .OfType<Attachment>();
        // The cluster network (on the runtime's interface) was attached first, so it is deleted last; net2 was attached before net10.
        return found.OrderBy(a => a.IfName == clusterIfName ? 0 : 1)
            .ThenBy(a => a.IfName.TrimEnd(Digits), StringComparer.Ordinal)
            .ThenBy(a => a.IfName.Length)
            .ThenBy(a => a.IfName, StringComparer.Ordinal)
            .Select((a, i) => a with { Index = i, IsClusterNetwork = a.IfName == clusterIfName }).ToList();
    }

    private static readonly char[] Digits = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

    private static Attachment? ToAttachment(ResultCacheEntry entry)
    {
        JsonObject conf;
        try
        {
            if (JsonNode.Parse(entry.Config) is not JsonObject parsed)
            {
                return null;
            }
            conf = parsed;
        }
        catch (JsonException)
        {
            return null;
        }
        var capabilities = entry.Runtime.CapabilityArgs;
        return new Attachment
        {
            Index = 0,
            Network = entry.NetworkName,
            IfName = entry.Runtime.IfName,
            Conf = DelegateConfList.Of(conf),
            CapabilityArgs = capabilities.Count == 0 ? null : new JsonObject(capabilities.Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))),
        };
    }
}
