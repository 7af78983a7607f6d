using System.Text.Json.Nodes;
using Plexus.KubeSim.Api;
using Plexus.KubeSim.Discovery;

namespace Plexus.KubeSim;

/// <summary>
/// Direct store access for tests: seed and inspect objects without HTTP (not counted, no faults).
/// Changes still get resourceVersions and reach watchers, like a write by another client.
/// </summary>
public sealed partial class KubeSimServer
{
    /// <summary>Creates any served object from JSON; namespaced objects default to "default", a missing namespace is created, a given status is kept.</summary>
    public JsonObject Create(string json) =>
        Create(JsonNode.Parse(json) as JsonObject ?? throw new ArgumentException("seed JSON must be an object", nameof(json)));

    public JsonObject Create(JsonObject obj)
    {
        obj = (JsonObject)obj.DeepClone();
        var type = TypeOf(ObjectLifecycle.Text(obj["apiVersion"]), ObjectLifecycle.Text(obj["kind"]));
        var ns = type.Namespaced ? ObjectLifecycle.Text(obj["metadata"]?["namespace"]) is { Length: > 0 } given ? given : "default" : "";
        if (type.Namespaced && Get("v1", "Namespace", null, ns) is null) CreateNamespace(ns);
        var status = obj["status"]?.DeepClone();
        var prepared = type.ToStorage(ObjectLifecycle.PrepareCreate(type, type.Namespaced ? ns : null, obj, _state.Clock));
        var name = ObjectLifecycle.Text(prepared["metadata"]!["name"]);
        var stored = _state.Store.Write(type.StorageKey, ns, name, current =>
        {
            if (current is not null) throw ApiException.AlreadyExists(type.Plural, name, type.Group);
            KindDefaults.BeforeStore(type, _state.Store, prepared, previous: null);
            return prepared;
        }, dryRun: false).Object!;
        return status is null ? Shown(type, stored.Node) : Patch(type.GroupVersion, type.Kind, ns, name, new JsonObject { ["status"] = status });
    }

    public JsonObject? Get(string apiVersion, string kind, string? ns, string name)
    {
        var type = TypeOf(apiVersion, kind);
        return _state.Store.Get(type.StorageKey, type.Namespaced ? ns ?? "default" : "", name) is { } stored ? Shown(type, stored.Node) : null;
    }

    public IReadOnlyList<JsonObject> List(string apiVersion, string kind, string? ns = null)
    {
        var type = TypeOf(apiVersion, kind);
        return [.. _state.Store.List(type.StorageKey, type.Namespaced ? ns : null, _ => true).Items.Select(o => Shown(type, o.Node))];
    }

    /// <summary>Applies a JSON merge patch to the whole object, status included (as a controller or kubelet would).</summary>
    public JsonObject Patch(string apiVersion, string kind, string? ns, string name, JsonNode mergePatch)
    {
        var type = TypeOf(apiVersion, kind);
        var key = type.Namespaced ? ns ?? "default" : "";
        var stored = _state.Store.Write(type.StorageKey, key, name, current =>
        {
            if (current is null) throw ApiException.NotFound(type.Plural, name, type.Group);
            var patched = (JsonObject)MergePatch.Apply(type.FromStorage(current.Node), mergePatch, strategic: false)!;
            patched["metadata"]!["name"] = name;
            return type.ToStorage(patched);
        }, dryRun: false).Object!;
        return Shown(type, stored.Node);
    }

    public JsonObject Patch(string apiVersion, string kind, string? ns, string name, string mergePatchJson) =>
        Patch(apiVersion, kind, ns, name, JsonNode.Parse(mergePatchJson)!);

    /// <summary>Deletes an object at once (finalizers ignored); false when it did not exist.</summary>
    public bool Delete(string apiVersion, string kind, string? ns, string name)
    {
        var type = TypeOf(apiVersion, kind);
        return _state.Store.Write(type.StorageKey, type.Namespaced ? ns ?? "default" : "", name, _ => null, dryRun: false).Object is not null;
    }

    public JsonObject CreateNamespace(string name) =>
        Create(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } });

    /// <summary>A Ready node.</summary>
    public JsonObject CreateNode(string name) => Create(new JsonObject
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Node",
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["kubernetes.io/hostname"] = name } },
        ["status"] = new JsonObject
        {
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }),
        },
    });

    /// <summary>A pod with one container, optionally bound to a node, with the given annotations and labels.</summary>
    public JsonObject CreatePod(string ns, string name, string? nodeName = null,
        IReadOnlyDictionary<string, string>? annotations = null, IReadOnlyDictionary<string, string>? labels = null)
    {
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = ns };
        if (annotations is not null) metadata["annotations"] = Map(annotations);
        if (labels is not null) metadata["labels"] = Map(labels);
        var spec = new JsonObject
        {
            ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "registry.invalid/app:1" }),
        };
        if (nodeName is not null) spec["nodeName"] = nodeName;
        return Create(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = metadata, ["spec"] = spec });
    }

    /// <summary>Installs the NetworkAttachmentDefinition CRD (idempotent).</summary>
    public JsonObject InstallNetworkAttachmentDefinitionCrd() =>
        Get("apiextensions.k8s.io/v1", "CustomResourceDefinition", null, "network-attachment-definitions.k8s.cni.cncf.io")
        ?? Create(KnownManifests.NetworkAttachmentDefinitionCrd);

    /// <summary>A NetworkAttachmentDefinition with <paramref name="config"/> as spec.config (installs the CRD if needed).</summary>
    public JsonObject CreateNetworkAttachmentDefinition(string ns, string name, string? config,
        IReadOnlyDictionary<string, string>? annotations = null)
    {
        InstallNetworkAttachmentDefinitionCrd();
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = ns };
        if (annotations is not null) metadata["annotations"] = Map(annotations);
        var nad = new JsonObject { ["apiVersion"] = KnownManifests.NadApiVersion, ["kind"] = KnownManifests.NadKind, ["metadata"] = metadata };
        if (config is not null) nad["spec"] = new JsonObject { ["config"] = config };
        return Create(nad);
    }

    // A caller's copy of a stored object, in the version it asked for.
    private static JsonObject Shown(ResourceType type, JsonObject stored) => (JsonObject)type.FromStorage(stored).DeepClone();

    private ResourceType TypeOf(string apiVersion, string kind) =>
        _state.Catalog.FindByKind(apiVersion, kind)
        ?? throw new InvalidOperationException($"kube-sim does not serve {apiVersion} {kind}; create its CustomResourceDefinition first");

    private static JsonObject Map(IReadOnlyDictionary<string, string> values) =>
        new(values.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
}
