using System.Globalization;
using System.Text.Json.Nodes;
using Plexus.KubeSim.Discovery;

namespace Plexus.KubeSim.Api;

/// <summary>One Table column: its definition and how a row's cell is read from the object.</summary>
internal sealed record TableColumn(string Name, int Priority, Func<JsonObject, DateTimeOffset, JsonNode?> Cell, string Type = "string");

/// <summary>
/// The server-side printers' columns per kind (k8s.io/kubernetes pkg/printers/internalversion):
/// all of them, priority 1 included, as the server prints "wide" and kubectl hides those.
/// </summary>
internal static class TableColumns
{
    public static List<TableColumn> For(ResourceType type)
    {
        var name = new TableColumn("Name", 0, (o, _) => Text(o["metadata"]?["name"]));
        var age = new TableColumn("Age", 0, (o, now) => Since(o["metadata"]?["creationTimestamp"], now));
        return (type.Group, type.Kind) switch
        {
            ("", "Pod") =>
            [
                name,
                new("Ready", 0, (o, _) => Ready(o)),
                new("Status", 0, (o, _) => Text(o["status"]?["phase"])),
                new("Restarts", 0, (o, _) => Restarts(o)),
                age,
                new("IP", 1, (o, _) => OrNone(Text(o["status"]?["podIP"]))),
                new("Node", 1, (o, _) => OrNone(Text(o["spec"]?["nodeName"]))),
            ],
            ("", "Namespace") => [name, new("Status", 0, (o, _) => Text(o["status"]?["phase"])), age],
            ("", "Node") => [name, new("Status", 0, (o, _) => NodeReady(o)), age],
            ("", "Event") =>
            [
                new("Last Seen", 0, (o, now) => Since(LastSeen(o), now)),
                new("Type", 0, (o, _) => Text(o["type"])),
                new("Reason", 0, (o, _) => Text(o["reason"])),
                new("Object", 0, (o, _) => InvolvedObject(o)),
                new("Subobject", 1, (o, _) => Text(o["involvedObject"]?["fieldPath"])),
                new("Source", 1, (o, _) => Source(o)),
                new("Message", 0, (o, _) => Text(o["message"]).Trim()),
                new("First Seen", 1, (o, now) => Since(FirstSeen(o), now)),
                new("Count", 1, (o, _) => Count(o)),
                name with { Priority = 1 },
            ],
            ("apps", "DaemonSet") =>
            [
                name,
                Status("Desired", "desiredNumberScheduled"),
                Status("Current", "currentNumberScheduled"),
                Status("Ready", "numberReady"),
                Status("Up-to-date", "updatedNumberScheduled"),
                Status("Available", "numberAvailable"),
                new("Node Selector", 0, (o, _) => OrNone(Pairs(o["spec"]?["template"]?["spec"]?["nodeSelector"] as JsonObject))),
                age,
                new("Containers", 1, (o, _) => Containers(o, "name")),
                new("Images", 1, (o, _) => Containers(o, "image")),
                new("Selector", 1, (o, _) => OrNone(Pairs(o["spec"]?["selector"]?["matchLabels"] as JsonObject))),
            ],
            _ => [name, age],
        };
    }

    private static TableColumn Status(string column, string field) =>
        new(column, 0, (o, _) => ObjectLifecycle.Number(o["status"]?[field]), "integer");

    // An event without firstTimestamp (events.k8s.io style) is dated by eventTime; a series by its last observation.
    private static JsonNode? FirstSeen(JsonObject e) => e["firstTimestamp"] ?? e["eventTime"];

    private static JsonNode? LastSeen(JsonObject e) => e["series"]?["lastObservedTime"] ?? e["lastTimestamp"] ?? FirstSeen(e);

    private static long Count(JsonObject e) =>
        e["series"] is JsonObject series ? ObjectLifecycle.Number(series["count"]) : Math.Max(1, ObjectLifecycle.Number(e["count"]));

    private static string InvolvedObject(JsonObject e)
    {
        var kind = Text(e["involvedObject"]?["kind"]).ToLowerInvariant();
        var name = Text(e["involvedObject"]?["name"]);
        return name.Length > 0 ? $"{kind}/{name}" : kind;
    }

    private static string Source(JsonObject e)
    {
        var component = FirstNonEmpty(Text(e["source"]?["component"]), Text(e["reportingComponent"]));
        var instance = FirstNonEmpty(Text(e["source"]?["host"]), Text(e["reportingInstance"]));
        return instance.Length == 0 ? component : $"{component}, {instance}";
    }

    private static string Containers(JsonObject ds, string field) =>
        string.Join(",", (ds["spec"]?["template"]?["spec"]?["containers"] as JsonArray ?? []).Select(c => Text(c?[field])));

    private static string Pairs(JsonObject? map) =>
        map is null ? "" : string.Join(",", map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={Text(p.Value)}"));

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

    private static string Since(JsonNode? timestamp, DateTimeOffset now)
    {
        if (!DateTimeOffset.TryParse(Text(timestamp), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var then))
        {
            return "<unknown>";
        }
        var age = now - then;
        return age.TotalSeconds < 120 ? $"{Math.Max(0, (int)age.TotalSeconds)}s"
            : age.TotalMinutes < 120 ? $"{(int)age.TotalMinutes}m"
            : age.TotalHours < 48 ? $"{(int)age.TotalHours}h"
            : $"{(int)age.TotalDays}d";
    }

    private static string FirstNonEmpty(string a, string b) => a.Length > 0 ? a : b;

    private static string OrNone(string text) => text.Length > 0 ? text : "<none>";

    private static string Text(JsonNode? node) => ObjectLifecycle.Text(node);
}
