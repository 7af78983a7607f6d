using System.Text.Json;
using System.Text.Json.Nodes;
using Plexus.Cni;
using Plexus.Cni.ConfFiles;
using Plexus.Cni.Json;
using Plexus.Core.Ports;

namespace Plexus.Core.Planning;

/// <summary>
/// Turns a NetworkAttachmentDefinition, or a conf-dir file, into a delegate network:
/// <c>spec.config</c> when set; otherwise the file in confDir whose <c>name</c> equals the NAD's
/// name, conflists first (libcni's LoadConfList order).
/// </summary>
internal static class NadConfigResolver
{
    /// <summary>The network of <paramref name="nad"/>'s <c>spec.config</c>, or null when it is empty.</summary>
    public static DelegateNetwork? FromSpec(NetworkAttachmentDefinition nad)
    {
        if (string.IsNullOrWhiteSpace(nad.Config))
        {
            return null;
        }
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(nad.Config, documentOptions: CniJson.DocumentOptions);
        }
        catch (JsonException e)
        {
            throw CniException.Decode(
                $"NetworkAttachmentDefinition {nad.QualifiedName}: spec.config is not valid JSON: {e.Message}",
                "spec.config must be a conf or conflist JSON object in a string");
        }
        if (node is not JsonObject conf)
        {
            throw CniException.Decode($"NetworkAttachmentDefinition {nad.QualifiedName}: spec.config is not a JSON object");
        }
        return DelegateNetwork.Create(conf, nad.QualifiedName, nad.Name, nad.ResourceName);
    }

    /// <summary>The conf-dir network named <paramref name="name"/>; null when no readable file has that name.</summary>
    public static DelegateNetwork? FromConfDir(string name, string displayName, IReadOnlyList<ConfFile> files, string? resourceName = null)
    {
        var ordered = files.Where(f => ConfFileNames.IsList(f.Name)).Concat(files.Where(f => !ConfFileNames.IsList(f.Name)));
        foreach (var file in ordered)
        {
            if (TryLoad(file) is { } list && JsonScalars.String(list["name"]) == name)
            {
                return DelegateNetwork.Create(list, displayName, name, resourceName);
            }
        }
        return null;
    }

    /// <summary>The first usable file of a directory, as upstream picks a clusterNetwork given as a directory.</summary>
    public static DelegateNetwork? FirstIn(IReadOnlyList<ConfFile> files)
    {
        foreach (var file in files)
        {
            if (TryLoad(file) is { } list)
            {
                return FromLoaded(list, file);
            }
        }
        return null;
    }

    /// <summary>One file named on purpose (clusterNetwork as a file path): every problem is an error.</summary>
    public static DelegateNetwork FromFile(ConfFile file)
    {
        if (file.Content is null)
        {
            throw CniException.InvalidConfig($"cluster network file {file.Path}: {file.Unreadable}");
        }
        var list = ConfFileLoader.LoadList(file.Name, file.Content);
        try
        {
            return FromLoaded(list, file);
        }
        catch (CniException e)
        {
            throw e.In(file.Path);
        }
    }

    // Named as upstream names it in network-status and events: by the config's own name, else the file's.
    private static DelegateNetwork FromLoaded(JsonObject list, ConfFile file)
    {
        var fileName = Path.GetFileNameWithoutExtension(file.Name);
        return DelegateNetwork.Create(list, JsonScalars.String(list["name"]) is { Length: > 0 } name ? name : fileName, fileName);
    }

    private static JsonObject? TryLoad(ConfFile file)
    {
        if (file.Content is null)
        {
            return null;
        }
        try
        {
            return ConfFileLoader.LoadList(file.Name, file.Content);
        }
        catch (CniException)
        {
            // A broken unrelated file must not hide the one asked for; like libcni, skip it.
            return null;
        }
    }
}
