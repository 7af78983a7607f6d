using System.Text.Json.Nodes;
using Plexus.NodeAgent.Selection;

namespace Plexus.NodeAgent.Doctor;

/// <summary>Finds the real primary at the bottom of nested meta-plugin configs (pure).</summary>
public static class MetaUnwrapper
{
    /// <summary>The innermost cluster network (<c>delegates[0]</c> all the way down), or null when there is none.</summary>
    public static JsonObject? InnermostPrimary(JsonObject config)
    {
        var current = config;
        for (var guard = 0; guard < 1000; guard++)
        {
            var meta = MetaPlugins.IsMeta(current)
                ? current
                : (current["plugins"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(MetaPlugins.IsMeta);
            if (meta is null)
            {
                return MetaPlugins.NestingDepth(current) == 0 ? current : null;
            }
            if ((meta["delegates"] as JsonArray)?.FirstOrDefault() is not JsonObject inner)
            {
                return null;
            }
            current = inner;
        }
        return null;
    }
}
