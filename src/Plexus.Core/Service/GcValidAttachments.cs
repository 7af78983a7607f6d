using System.Text.Json.Nodes;
using Plexus.Cni;
using Plexus.Cni.Json;

namespace Plexus.Core.Service;

/// <summary>
/// The containers a GC must keep, read strictly from <c>cni.dev/valid-attachments</c> (or the legacy
/// <c>cni.dev/attachments</c>): GC deletes whatever is not listed, so a list it cannot read must stop
/// it before anything is deleted rather than count as empty.
/// </summary>
internal static class GcValidAttachments
{
    public const string Key = "cni.dev/valid-attachments";
    public const string LegacyKey = "cni.dev/attachments";

    /// <summary>
    /// The valid container IDs, each with the first interface listed for it (the one the runtime handed the meta-plugin);
    /// throws code 6 for a malformed list and code 7 when neither key is present.
    /// </summary>
    public static Dictionary<string, string> ContainerIfNames(JsonObject stdin)
    {
        var present = new[] { Key, LegacyKey }.Where(stdin.ContainsKey).ToList();
        if (present.Count == 0)
        {
            throw CniException.InvalidConfig(
                $"GC needs \"{Key}\" in its config (an empty array when no attachment is valid); it is missing, so nothing was deleted",
                "the container runtime (libcni) always sends it; check what invokes plexus with CNI_COMMAND=GC");
        }
        var valid = Read(present[0], stdin[present[0]]);
        // A garbled legacy copy beside a good list means a confused caller: refuse rather than guess.
        if (present.Count > 1)
        {
            Read(present[1], stdin[present[1]]);
        }
        return valid;
    }

    private static Dictionary<string, string> Read(string key, JsonNode? node)
    {
        if (node is not JsonArray array)
        {
            throw Malformed(key, $"it is {Describe(node)}, not an array");
        }
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject attachment)
            {
                throw Malformed(key, $"element {i} is {Describe(array[i])}, not an object");
            }
            if (JsonScalars.String(attachment["containerID"]) is not { } containerId)
            {
                throw Malformed(key, $"element {i} has no string \"containerID\"");
            }
            if (JsonScalars.String(attachment["ifname"]) is not { } ifName)
            {
                throw Malformed(key, $"element {i} (container {containerId}) has no string \"ifname\"");
            }
            ids.TryAdd(containerId, ifName);
        }
        return ids;
    }

    private static CniException Malformed(string key, string problem) =>
        CniException.Decode(
            $"GC: \"{key}\" is malformed: {problem}; nothing was deleted",
            $"\"{key}\" must be an array of {{\"containerID\":string,\"ifname\":string}} objects");

    private static string Describe(JsonNode? node) => node is null ? "null" : $"a JSON {node.GetValueKind().ToString().ToLowerInvariant()}";
}
