using System.Text.Json.Nodes;

namespace Plexus.Core.Planning;

/// <summary>An attachment runs a conflist; a cached single conf is wrapped the way libcni wraps a <c>.conf</c> file.</summary>
internal static class DelegateConfList
{
    public static JsonObject Of(JsonObject conf) => conf.ContainsKey("plugins")
        ? conf
        : new JsonObject { ["name"] = conf["name"]?.DeepClone(), ["cniVersion"] = conf["cniVersion"]?.DeepClone(), ["plugins"] = new JsonArray(conf) };
}
