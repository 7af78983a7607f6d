using System.Text.Json.Nodes;
using Plexus.KubeSim.Discovery;
using Plexus.KubeSim.Storage;

namespace Plexus.KubeSim.Api;

/// <summary>The per-kind defaults and checks of the real API server that clients notice.</summary>
internal static class KindDefaults
{
    public static void OnCreate(ResourceType type, JsonObject body, TimeProvider clock)
    {
        switch (type.Kind)
        {
            case "Pod" when type.Group.Length == 0:
                // No scheduler or kubelet here: a new pod stays Pending until a test writes its status.
                body["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = "BestEffort" };
                break;
            case "Namespace" when type.Group.Length == 0:
                var name = ObjectLifecycle.Text(body["metadata"]?["name"]);
                var labels = body["metadata"]!["labels"] as JsonObject ?? [];
                labels["kubernetes.io/metadata.name"] = name;
                body["metadata"]!["labels"] = labels;
                body["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") };
                body["status"] = new JsonObject { ["phase"] = "Active" };
                break;
            case "CustomResourceDefinition":
                body["status"] = CrdStatus(body, clock);
                break;
            case "Node" when type.Group.Length == 0:
                break;
            default:
                if (type.HasStatus) body.Remove("status");
                break;
        }
    }

    /// <summary>
    /// Changes that depend on other stored objects, made inside the store's write so they are
    /// atomic with it: a Service's cluster IP and node ports. <paramref name="previous"/> is the
    /// object being updated (null on create), as this version shows it.
    /// </summary>
    public static void BeforeStore(ResourceType type, ObjectStore store, JsonObject obj, JsonObject? previous)
    {
        if (type is { Group: "", Kind: "Service" }) ServiceAllocation.Prepare(store, type.StorageKey, obj, previous);
    }

    public static IEnumerable<string> Validate(ResourceType type, JsonObject body)
    {
        if (type.Kind == "CustomResourceDefinition")
        {
            return CrdTypes.Validate(body);
        }
        if (type.Kind == "Pod" && type.Group.Length == 0)
        {
            return body["spec"]?["containers"] is JsonArray { Count: > 0 } containers
                ? containers.Where(c => ObjectLifecycle.Text(c?["name"]).Length == 0 || ObjectLifecycle.Text(c?["image"]).Length == 0)
                    .Select(_ => "spec.containers: Required value: every container needs a name and an image")
                    .Take(1)
                : ["spec.containers: Required value"];
        }
        return [];
    }

    // A real API server's CRD controller marks a valid CRD established within milliseconds.
    private static JsonObject CrdStatus(JsonObject crd, TimeProvider clock)
    {
        var now = ObjectLifecycle.Timestamp(clock);
        JsonObject Condition(string type, string reason, string message) => new()
        {
            ["type"] = type,
            ["status"] = "True",
            ["lastTransitionTime"] = now,
            ["reason"] = reason,
            ["message"] = message,
        };
        var storage = (crd["spec"]?["versions"] as JsonArray)?
            .FirstOrDefault(v => ObjectLifecycle.IsTrue(v?["storage"]))?["name"]?.DeepClone();
        return new JsonObject
        {
            ["conditions"] = new JsonArray(
                Condition("NamesAccepted", "NoConflicts", "no conflicts found"),
                Condition("Established", "InitialNamesAccepted", "the initial names have been accepted")),
            ["acceptedNames"] = crd["spec"]?["names"]?.DeepClone(),
            ["storedVersions"] = new JsonArray(storage),
        };
    }
}
