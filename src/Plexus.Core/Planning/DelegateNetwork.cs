using System.Text.Json.Nodes;
using Plexus.Cni;

namespace Plexus.Core.Planning;

/// <summary>
/// A resolved delegate network: its conf or conflist kept as opaque JSON, and the name
/// network-status and errors use for it (<c>namespace/name</c> for a NAD).
/// </summary>
internal sealed record DelegateNetwork
{
    public required string DisplayName { get; init; }

    /// <summary>A conf (<c>type</c>) or conflist (<c>plugins</c>); never mutated after creation.</summary>
    public required JsonObject Conf { get; init; }

    /// <summary>The NAD's device-plugin resource, when it has one.</summary>
    public string? ResourceName { get; init; }

    public string? Name => Conf["name"] is JsonValue v && v.TryGetValue<string>(out var name) ? name : null;

    public IReadOnlyList<JsonObject> Plugins =>
        Conf["plugins"] is JsonArray plugins ? plugins.OfType<JsonObject>().ToList() : [Conf];

    /// <summary>True when some plugin of the network declares <paramref name="capability"/> as true.</summary>
    public bool DeclaresCapability(string capability) =>
        Plugins.Any(p => p["capabilities"] is JsonObject caps
            && caps[capability] is JsonValue v && v.TryGetValue<bool>(out var enabled) && enabled);

    /// <summary>
    /// Checks the shape a runtime needs (a conf with <c>type</c>, or a non-empty <c>plugins</c> list
    /// whose entries have <c>type</c>) and sets <c>name</c> to <paramref name="defaultName"/> when missing.
    /// </summary>
    public static DelegateNetwork Create(JsonObject conf, string displayName, string? defaultName, string? resourceName = null)
    {
        if (conf.ContainsKey("plugins"))
        {
            if (conf["plugins"] is not JsonArray { Count: > 0 } plugins)
            {
                throw CniException.InvalidConfig($"network {displayName}: \"plugins\" must be a non-empty list");
            }
            for (var i = 0; i < plugins.Count; i++)
            {
                RequireType(plugins[i] as JsonObject, $"network {displayName}: plugins[{i}]");
            }
        }
        else
        {
            RequireType(conf, $"network {displayName}");
        }
        var copy = (JsonObject)conf.DeepClone();
        if (copy["name"] is not JsonValue name || !name.TryGetValue<string>(out var text) || text.Length == 0)
        {
            if (defaultName is null)
            {
                throw CniException.InvalidConfig($"network {displayName}: config has no \"name\"");
            }
            copy["name"] = defaultName;
        }
        return new DelegateNetwork { DisplayName = displayName, Conf = copy, ResourceName = resourceName };
    }

    private static void RequireType(JsonObject? conf, string where)
    {
        if (conf?["type"] is not JsonValue type || !type.TryGetValue<string>(out var name) || name.Length == 0)
        {
            throw CniException.InvalidConfig($"{where} has no plugin \"type\"");
        }
    }
}
