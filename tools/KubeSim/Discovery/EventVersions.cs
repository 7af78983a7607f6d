using System.Text.Json.Nodes;

namespace Plexus.KubeSim.Discovery;

/// <summary>
/// events.k8s.io/v1 events are core/v1 events under other field names (k8s.io/kubernetes
/// pkg/apis/events/v1/conversion.go): one storage, either version reads and writes it, and a
/// watch on one sees writes through the other, as on a real cluster.
/// </summary>
internal static class EventVersions
{
    // core/v1 name, events.k8s.io/v1 name; every other field has the same name in both.
    private static readonly (string Core, string Events)[] Renamed =
    [
        ("involvedObject", "regarding"),
        ("message", "note"),
        ("reportingComponent", "reportingController"),
        ("source", "deprecatedSource"),
        ("firstTimestamp", "deprecatedFirstTimestamp"),
        ("lastTimestamp", "deprecatedLastTimestamp"),
        ("count", "deprecatedCount"),
    ];

    public static StorageConversion Conversion { get; } = new("/events", ToCore, ToEvents);

    /// <summary>
    /// events.k8s.io/v1 field selector labels and the core field each means (AddFieldLabelConversionsForEvent);
    /// the core spellings are not accepted in this version.
    /// </summary>
    public static IReadOnlyDictionary<string, string> FieldLabels { get; } = new Dictionary<string, string>
    {
        ["metadata.name"] = "metadata.name",
        ["metadata.namespace"] = "metadata.namespace",
        ["regarding.kind"] = "involvedObject.kind",
        ["regarding.namespace"] = "involvedObject.namespace",
        ["regarding.name"] = "involvedObject.name",
        ["regarding.uid"] = "involvedObject.uid",
        ["regarding.apiVersion"] = "involvedObject.apiVersion",
        ["regarding.resourceVersion"] = "involvedObject.resourceVersion",
        ["regarding.fieldPath"] = "involvedObject.fieldPath",
        ["reportingController"] = "reportingComponent",
        ["reason"] = "reason",
        ["source"] = "source",
        ["type"] = "type",
    };

    private static JsonObject ToCore(JsonObject events) => Rename(events, "v1", toEvents: false);

    private static JsonObject ToEvents(JsonObject core) => Rename(core, "events.k8s.io/v1", toEvents: true);

    private static JsonObject Rename(JsonObject from, string apiVersion, bool toEvents)
    {
        var names = Renamed.ToDictionary(r => toEvents ? r.Core : r.Events, r => toEvents ? r.Events : r.Core);
        var to = new JsonObject();
        foreach (var (name, value) in from)
        {
            to[names.GetValueOrDefault(name, name)] = name == "apiVersion" ? apiVersion : value?.DeepClone();
        }
        return to;
    }
}
