using System.Text.Json.Nodes;
using Plexus.KubeSim.Discovery;

namespace Plexus.KubeSim.Api;

/// <summary>
/// The fields a field selector may name, per resource, and how each reads from an object: the
/// API server's field label conversions (k8s.io/kubernetes pkg/apis/core/v1 conversion.go and the
/// registries' ToSelectableFields). Anything else is refused 400, as kube-apiserver does.
/// </summary>
internal static class FieldLabels
{
    private static readonly string[] ObjectMeta = ["metadata.name", "metadata.namespace"];

    private static readonly string[] PodFields =
    [
        .. ObjectMeta, "spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork",
        "status.phase", "status.podIP", "status.podIPs", "status.nominatedNodeName",
    ];

    private static readonly string[] EventFields =
    [
        .. ObjectMeta, "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
        "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
        "reason", "reportingComponent", "source", "type",
    ];

    /// <summary>
    /// The stored object's field a selector's label means (events.k8s.io/v1 labels name core event
    /// fields); refuses a label the resource cannot be selected by (400, the server's wording).
    /// </summary>
    public static string Resolve(ResourceType type, string field)
    {
        if (type is { IsBuiltin: true, Group: "events.k8s.io" })
        {
            return EventVersions.FieldLabels.TryGetValue(field, out var core) ? core : throw ApiException.BadRequest($"field label not supported: {field}");
        }
        var (supported, ownConversion) = Supported(type);
        if (supported.Contains(field)) return field;
        // Kinds with their own conversion say "not supported"; the rest get the generic metav1 one.
        throw ApiException.BadRequest(ownConversion
            ? $"field label not supported: {field}"
            : $"\"{field}\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"");
    }

    /// <summary>The field's value as the server's field set holds it ("" when absent, booleans as true/false).</summary>
    public static string Value(JsonObject obj, string field) => field switch
    {
        "source" => Text(obj["source"]?["component"]),
        "spec.hostNetwork" or "spec.unschedulable" => ObjectLifecycle.IsTrue(Path(obj, field)) ? "true" : "false",
        // The server derives podIP (and podIPs) from the first entry of status.podIPs.
        "status.podIP" or "status.podIPs" => obj["status"]?["podIPs"] is JsonArray { Count: > 0 } ips
            ? Text(ips[0]?["ip"])
            : Text(obj["status"]?["podIP"]),
        _ => Text(Path(obj, field)),
    };

    private static (IReadOnlyCollection<string> Fields, bool OwnConversion) Supported(ResourceType type)
    {
        var builtin = type.IsBuiltin;
        if (!builtin) return (ObjectMeta, true);
        return (type.Group, type.Kind) switch
        {
            ("", "Pod") => (PodFields, true),
            ("", "Event") => (EventFields, true),
            ("", "Secret") => ([.. ObjectMeta, "type"], true),
            ("", "Namespace") => (["metadata.name", "status.phase"], true),
            ("", "Node") => (["metadata.name", "spec.unschedulable"], true),
            _ => (ObjectMeta, false),
        };
    }

    private static JsonNode? Path(JsonObject obj, string field)
    {
        JsonNode? node = obj;
        foreach (var segment in field.Split('.')) node = (node as JsonObject)?[segment];
        return node;
    }

    private static string Text(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node is JsonValue other ? other.ToJsonString() : "";
}
