using System.Text.Json.Nodes;
using Plexus.Cni.Config;
using Plexus.Cni.Json;

namespace Plexus.Cni.Invoke;

/// <summary>One attachment read back from the result cache: who it was for and the conflist bytes it ran with.</summary>
public sealed record ResultCacheEntry(string NetworkName, RuntimeConf Runtime, byte[] Config, JsonObject? Result)
{
    /// <summary>The file it was read from (<see cref="ResultCache.List"/>); null for an entry not read from one.</summary>
    public string? Path { get; init; }

    /// <summary>Reads a <c>cniCacheV1</c> entry; null when it is not one or lacks the attachment's identity.</summary>
    public static ResultCacheEntry? TryParse(JsonObject entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (Text(entry, "kind") != ResultCache.Kind
            || Text(entry, "networkName") is not { } network
            || Text(entry, "containerId") is not { } containerId
            || Text(entry, "ifName") is not { } ifName)
        {
            return null;
        }
        var args = new List<KeyValuePair<string, string>>();
        foreach (var pair in entry["cniArgs"] as JsonArray ?? [])
        {
            if (pair is JsonArray { Count: 2 } kv && JsonScalars.String(kv[0]) is { } key && JsonScalars.String(kv[1]) is { } value)
            {
                args.Add(new(key, value));
            }
        }
        var capabilities = (entry["capabilityArgs"] as JsonObject ?? []).ToDictionary(p => p.Key, p => p.Value?.DeepClone());
        byte[] config;
        try
        {
            config = Text(entry, "config") is { } base64 ? Convert.FromBase64String(base64) : [];
        }
        catch (FormatException)
        {
            return null;
        }
        var runtime = new RuntimeConf
        {
            ContainerId = containerId,
            IfName = ifName,
            NetnsPath = Text(entry, "netns"),
            Args = new CniArgs(args),
            CapabilityArgs = capabilities,
        };
        return new ResultCacheEntry(network, runtime, config, entry["result"]?.DeepClone() as JsonObject);
    }

    /// <summary>
    /// The config the attachment was added with; null when the entry holds none (an old libcni wrote none) or one that
    /// does not parse or names another network (<see cref="ConfigProblem"/> says which).
    /// </summary>
    public NetworkConfigList? AddedConfig() => ReadConfig().List;

    /// <summary>Why the entry has no <see cref="AddedConfig"/>; null when it has one.</summary>
    public string? ConfigProblem() => ReadConfig().Problem;

    private (NetworkConfigList? List, string? Problem) ReadConfig()
    {
        if (Config.Length == 0)
        {
            return (null, "it holds no config");
        }
        try
        {
            var cached = NetworkConfigList.ParseConfOrList(Config);
            return cached.Name == NetworkName ? (cached, null) : (null, $"its config is network \"{cached.Name}\"'s");
        }
        catch (CniException e)
        {
            return (null, $"its config cannot be used ({e.Message})");
        }
    }

    private static string? Text(JsonObject obj, string key) => JsonScalars.String(obj[key]);
}
