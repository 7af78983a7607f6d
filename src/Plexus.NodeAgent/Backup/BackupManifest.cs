using System.Text.Json.Nodes;
using Plexus.Cni.Json;

namespace Plexus.NodeAgent.Backup;

/// <summary>
/// What a backup holds: the conf dir it came from, copies of files as they were before Plexus
/// changed or moved them (with their modes), and files Plexus created (restore removes them).
/// </summary>
public sealed record BackupManifest
{
    public const string FileName = "manifest.json";

    public required string ConfDir { get; init; }

    public IReadOnlyList<SavedFile> Saved { get; init; } = [];

    public IReadOnlyList<string> Created { get; init; } = [];

    /// <summary>
    /// A default <c>plexus config restore</c> has put it back: it ends the changes a later restore undoes, since they
    /// belong to an earlier stay of Plexus on the node.
    /// </summary>
    public bool Restored { get; init; }

    /// <summary>The file name is saved or created in this backup.</summary>
    public bool Mentions(string name) => Created.Contains(name) || Saved.Any(s => s.Name == name);

    public JsonObject ToJson() => new()
    {
        ["confDir"] = ConfDir,
        ["saved"] = new JsonArray(Saved.Select(s => (JsonNode)new JsonObject { ["name"] = s.Name, ["mode"] = (int)s.Mode }).ToArray()),
        ["created"] = new JsonArray(Created.Select(c => (JsonNode)JsonValue.Create(c)).ToArray()),
        ["restored"] = Restored,
    };

    public static BackupManifest FromJson(JsonNode? node)
    {
        var obj = node as JsonObject ?? throw new InvalidDataException("backup manifest is not a JSON object");
        return new BackupManifest
        {
            ConfDir = JsonScalars.String(obj["confDir"]) ?? throw new InvalidDataException("backup manifest has no confDir"),
            Saved = (obj["saved"] as JsonArray ?? [])
                .Select(s => s is JsonObject saved && JsonScalars.String(saved["name"]) is { } name && JsonScalars.Int(saved["mode"]) is { } mode
                    ? new SavedFile(name, (UnixFileMode)mode)
                    : throw new InvalidDataException($"backup manifest has a saved file without a string name and a numeric mode: {s?.ToJsonString()}"))
                .ToList(),
            Created = (obj["created"] as JsonArray ?? [])
                .Select(c => JsonScalars.String(c) ?? throw new InvalidDataException($"backup manifest lists a created file that is not a string: {c?.ToJsonString()}"))
                .ToList(),
            Restored = obj["restored"] is null ? false
                : JsonScalars.Bool(obj["restored"]) ?? throw new InvalidDataException($"backup manifest has a restored flag that is not true or false: {obj["restored"]!.ToJsonString()}"),
        };
    }
}

/// <summary>A file copied into a backup, by name in the conf dir, with its original mode.</summary>
public sealed record SavedFile(string Name, UnixFileMode Mode);
