using System.Globalization;
using System.Text.Json.Nodes;
using Plexus.KubeSim.Discovery;
using Plexus.KubeSim.Storage;

namespace Plexus.KubeSim.Api;

/// <summary>
/// Server-side printing (meta.k8s.io/v1 Table), which <c>kubectl get</c> asks for: a few
/// columns per kind like the real printers, and the row objects as includeObject asks.
/// </summary>
internal static class TableRenderer
{
    public static JsonObject Render(ResourceType type, IEnumerable<StoredObject> objects, long revision, string? includeObject,
        TimeProvider clock, string? continueToken = null)
    {
        var columns = Columns(type);
        var now = clock.GetUtcNow();
        var rows = new JsonArray();
        foreach (var obj in objects)
        {
            var row = new JsonObject { ["cells"] = new JsonArray([.. columns.Select(c => c.Cell(obj.Node, now))]) };
            if (includeObject != "None") row["object"] = RowObject(obj, includeObject);
            rows.Add(row);
        }
        var metadata = new JsonObject { ["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture) };
        if (continueToken is not null) metadata["continue"] = continueToken;
        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = metadata,
            ["columnDefinitions"] = new JsonArray([.. columns.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name,
                ["type"] = "string",
                ["format"] = c.Name == "Name" ? "name" : "",
                ["description"] = c.Name,
                ["priority"] = c.Priority,
            })]),
            ["rows"] = rows,
        };
    }

    private static JsonNode RowObject(StoredObject obj, string? includeObject) =>
        includeObject == "Object"
            ? obj.CloneNode()
            : new JsonObject
            {
                ["kind"] = "PartialObjectMetadata",
                ["apiVersion"] = "meta.k8s.io/v1",
                ["metadata"] = obj.Node["metadata"]?.DeepClone(),
            };

    private sealed record Column(string Name, int Priority, Func<JsonObject, DateTimeOffset, JsonNode?> Cell);

    private static List<Column> Columns(ResourceType type)
    {
        var name = new Column("Name", 0, (o, _) => Text(o["metadata"]?["name"]));
        var age = new Column("Age", 0, (o, now) => Age(o, now));
        return (type.Group, type.Kind) switch
        {
            ("", "Pod") =>
            [
                name,
                new("Ready", 0, (o, _) => Ready(o)),
                new("Status", 0, (o, _) => Text(o["status"]?["phase"])),
                new("Restarts", 0, (o, _) => Restarts(o)),
                age,
                new("IP", 1, (o, _) => Text(o["status"]?["podIP"]) is { Length: > 0 } ip ? ip : "<none>"),
                new("Node", 1, (o, _) => Text(o["spec"]?["nodeName"]) is { Length: > 0 } node ? node : "<none>"),
            ],
            ("", "Namespace") => [name, new("Status", 0, (o, _) => Text(o["status"]?["phase"])), age],
            ("", "Node") => [name, new("Status", 0, (o, _) => NodeReady(o)), age],
            _ => [name, age],
        };
    }

    private static string Ready(JsonObject pod)
    {
        var total = (pod["spec"]?["containers"] as JsonArray)?.Count ?? 0;
        var ready = (pod["status"]?["containerStatuses"] as JsonArray)?.Count(s => ObjectLifecycle.IsTrue(s?["ready"])) ?? 0;
        return $"{ready}/{total}";
    }

    private static long Restarts(JsonObject pod) =>
        (pod["status"]?["containerStatuses"] as JsonArray)?.Sum(s => ObjectLifecycle.Number(s?["restartCount"])) ?? 0;

    private static string NodeReady(JsonObject node) =>
        (node["status"]?["conditions"] as JsonArray)?.Any(c => Text(c?["type"]) == "Ready" && Text(c?["status"]) == "True") == true
            ? "Ready" : "NotReady";

    private static string Age(JsonObject obj, DateTimeOffset now)
    {
        if (!DateTimeOffset.TryParse(Text(obj["metadata"]?["creationTimestamp"]), CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal, out var created))
        {
            return "<unknown>";
        }
        var age = now - created;
        return age.TotalSeconds < 120 ? $"{Math.Max(0, (int)age.TotalSeconds)}s"
            : age.TotalMinutes < 120 ? $"{(int)age.TotalMinutes}m"
            : age.TotalHours < 48 ? $"{(int)age.TotalHours}h"
            : $"{(int)age.TotalDays}d";
    }

    private static string Text(JsonNode? node) => ObjectLifecycle.Text(node);
}
