using System.Text.Json.Nodes;

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

    public JsonObject ToJson() => new()
    {
        ["confDir"] = ConfDir,
        ["saved"] = new JsonArray(Saved.Select(s => (JsonNode)new JsonObject { ["name"] = s.Name, ["mode"] = (int)s.Mode }).ToArray()),
        ["created"] = new JsonArray(Created.Select(c => (JsonNode)JsonValue.Create(c)).ToArray()),
    };

    public static BackupManifest FromJson(JsonNode? node)
    {
        var obj = node as JsonObject ?? throw new InvalidDataException("backup manifest is not a JSON object");
        return new BackupManifest
        {
            ConfDir = obj["confDir"]?.GetValue<string>() ?? throw new InvalidDataException("backup manifest has no confDir"),
            Saved = (obj["saved"] as JsonArray ?? [])
                .Select(s => new SavedFile(s!["name"]!.GetValue<string>(), (UnixFileMode)s["mode"]!.GetValue<int>()))
                .ToList(),
            Created = (obj["created"] as JsonArray ?? []).Select(c => c!.GetValue<string>()).ToList(),
        };
    }
}

/// <summary>A file copied into a backup, by name in the conf dir, with its original mode.</summary>
public sealed record SavedFile(string Name, UnixFileMode Mode);
