using System.Text.Json.Nodes;
using Plexus.Cni.Config;
using Plexus.Cni.Json;
using Plexus.Cni;

namespace Plexus.Core.Planning;

/// <summary>
/// A resolved delegate network in list form (a single conf is wrapped like libcni does), and
/// the name network-status and errors use for it (<c>namespace/name</c> for a NAD).
/// </summary>
internal sealed record DelegateNetwork
{
    public required string DisplayName { get; init; }

    public required NetworkConfigList List { get; init; }

    /// <summary>The NAD's device-plugin resource, when it has one.</summary>
    public string? ResourceName { get; init; }

    /// <summary>The conflist JSON, opaque: unknown keys reach the plugins unchanged. Read-only.</summary>
    public JsonObject Conf => List.Raw;

    public string Name => List.Name;

    /// <summary>True when some plugin of the network declares <paramref name="capability"/> as true.</summary>
    public bool DeclaresCapability(string capability) =>
        Enumerable.Range(0, List.Plugins.Count).Any(i => List.PluginCapabilities(i).TryGetValue(capability, out var on) && on);

    /// <summary>
    /// Reads a conf (<c>type</c>) or conflist (<c>plugins</c>), setting <c>name</c> to
    /// <paramref name="defaultName"/> when missing; errors keep their code and name the network.
    /// </summary>
    public static DelegateNetwork Create(JsonObject conf, string displayName, string defaultName, string? resourceName = null)
    {
        var copy = (JsonObject)conf.DeepClone();
        if (JsonScalars.String(copy["name"]) is not { Length: > 0 })
        {
            copy["name"] = defaultName;
        }
        try
        {
            var list = copy.ContainsKey("plugins") ? NetworkConfigList.FromJson(copy) : NetworkConfigList.FromConf(NetworkConfig.FromJson(copy));
            return new DelegateNetwork { DisplayName = displayName, List = list, ResourceName = resourceName };
        }
        catch (CniException e)
        {
            throw e.In($"network {displayName}");
        }
    }
}
