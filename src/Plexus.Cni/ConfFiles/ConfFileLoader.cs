using System.Text.Json.Nodes;
using Plexus.Cni.Config;
using Plexus.Cni.Json;

namespace Plexus.Cni.ConfFiles;

/// <summary>
/// Turns a conf file's bytes into the list the runtime executes, chosen by extension as libcni
/// does: a <c>.conflist</c> is a <see cref="NetworkConfigList"/>; a <c>.conf</c>/<c>.json</c> is
/// one plugin conf that must have a <c>type</c>, wrapped as <c>{name, cniVersion, plugins:[conf]}</c>.
/// Throws <see cref="CniException"/> (6 not JSON, 7 not a usable config) naming the file.
/// </summary>
public static class ConfFileLoader
{
    /// <summary>
    /// The list's JSON, with libcni's leniency: a <c>.conf</c> needs only a <c>type</c> (a missing
    /// name stays missing, so callers can name the network after the file).
    /// </summary>
    public static JsonObject LoadList(string fileName, ReadOnlySpan<byte> content)
    {
        if (content.IsEmpty)
        {
            throw CniException.Decode($"{fileName}: file is empty");
        }
        try
        {
            if (ConfFileNames.IsList(fileName))
            {
                return NetworkConfigList.Parse(content).Raw;
            }
            var conf = CniJson.ParseObject(content, "network config");
            ConfigFields.RequireString(conf, "type", "network config");
            var wrapped = new JsonObject();
            CopyIfPresent(conf, wrapped, "cniVersion");
            CopyIfPresent(conf, wrapped, "name");
            wrapped["plugins"] = new JsonArray(conf);
            return wrapped;
        }
        catch (CniException e)
        {
            throw Named(fileName, e);
        }
    }

    /// <summary>The validated list (a name is required here, as for any network Plexus runs).</summary>
    public static NetworkConfigList Load(string fileName, ReadOnlySpan<byte> content)
    {
        var list = LoadList(fileName, content);
        try
        {
            return NetworkConfigList.FromJson(list);
        }
        catch (CniException e)
        {
            throw Named(fileName, e);
        }
    }

    private static CniException Named(string fileName, CniException e)
    {
        var details = string.IsNullOrEmpty(e.Details) ? "" : $" ({e.Details})";
        return new CniException(e.Code, $"{fileName}: {e.Message}{details}", e.Details, e);
    }

    private static void CopyIfPresent(JsonObject from, JsonObject to, string key)
    {
        if (from[key] is { } value)
        {
            to[key] = value.DeepClone();
        }
    }
}
