using System.Globalization;
using System.Text.Json.Nodes;
using Plexus.KubeSim.Discovery;

namespace Plexus.KubeSim.Api;

/// <summary>
/// What the API server does to an object on create and update before storing it: identity
/// checks, system metadata (uid, creationTimestamp, generation), status-subresource rules,
/// resourceVersion preconditions and the few per-kind defaults clients rely on.
/// </summary>
internal static class ObjectLifecycle
{
    public static JsonObject PrepareCreate(ResourceType type, string? ns, JsonObject body, TimeProvider clock)
    {
        CheckTypeMeta(type, body);
        var metadata = Metadata(body);
        var name = Text(metadata["name"]);
        if (name.Length == 0 && Text(metadata["generateName"]) is { Length: > 0 } prefix)
        {
            name = prefix + Guid.NewGuid().ToString("N")[..5];
            metadata["name"] = name;
        }
        CheckNamespace(type, ns, metadata);
        Validate(type, name, body);
        // etcd storage refuses a set resourceVersion with a plain error (500, no reason); one that is
        // not a number passes unnoticed, as kubernetes issue 113847 reports.
        if (ulong.TryParse(Text(metadata["resourceVersion"]), NumberStyles.None, CultureInfo.InvariantCulture, out var rv) && rv != 0)
        {
            throw new ApiException(500, "", "resourceVersion should not be set on objects to be created");
        }
        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = Timestamp(clock);
        metadata.Remove("resourceVersion");
        metadata.Remove("deletionTimestamp");
        metadata.Remove("deletionGracePeriodSeconds");
        if (type.TracksGeneration) metadata["generation"] = 1L;
        else metadata.Remove("generation");
        KindDefaults.OnCreate(type, body, clock);
        return body;
    }

    /// <summary>A full update (PUT or the result of a patch) of the main resource or its status.</summary>
    public static JsonObject PrepareUpdate(ResourceType type, string? ns, JsonObject current, JsonObject body, string? subresource)
    {
        CheckTypeMeta(type, body);
        var metadata = Metadata(body);
        var old = (JsonObject)current["metadata"]!;
        var name = Text(old["name"]);
        if (Text(metadata["name"]) is var given && given != name)
        {
            throw ApiException.BadRequest($"the name of the object ({given}) does not match the name on the URL ({name})");
        }
        CheckNamespace(type, ns, metadata);
        if (Text(metadata["resourceVersion"]) is { Length: > 0 } rv && rv != Text(old["resourceVersion"]))
        {
            throw ApiException.Conflict(type.Plural, name, type.Group);
        }
        if (Text(metadata["uid"]) is { Length: > 0 } uid && uid != Text(old["uid"]))
        {
            throw ApiException.Invalid(type.Kind, name, [$"metadata.uid: Invalid value: \"{uid}\": field is immutable"], type.Group);
        }
        if (subresource == "status")
        {
            if (AnnotationCauses(metadata) is [_, ..] causes)
            {
                throw ApiException.Invalid(type.Kind, name, causes, type.Group);
            }
            var updated = (JsonObject)current.DeepClone();
            updated["status"] = body["status"]?.DeepClone();
            if (type.Kind == "Pod")
            {
                // kube-apiserver's pod status strategy resets only spec and owner references, so
                // labels and annotations written through pods/status stick (Multus's network-status).
                CopyLabelsAndAnnotations(metadata, (JsonObject)updated["metadata"]!);
            }
            return updated;
        }
        Validate(type, name, body);
        foreach (var key in new[] { "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation" })
        {
            if (old[key] is { } value) metadata[key] = value.DeepClone();
            else metadata.Remove(key);
        }
        if (type.HasStatus && type.Kind != "Namespace")
        {
            body["status"] = current["status"]?.DeepClone();
            if (body["status"] is null) body.Remove("status");
        }
        if (type.TracksGeneration && SpecChanged(current, body))
        {
            metadata["generation"] = Number(old["generation"]) + 1;
        }
        return body;
    }

    private static void CopyLabelsAndAnnotations(JsonObject from, JsonObject to)
    {
        foreach (var key in new[] { "labels", "annotations" })
        {
            if (from[key] is { } value) to[key] = value.DeepClone();
            else to.Remove(key);
        }
    }

    public static string Timestamp(TimeProvider clock) => Timestamp(clock.GetUtcNow());

    /// <summary>A metav1.Time as JSON: RFC 3339 in UTC, whole seconds.</summary>
    public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static long Number(JsonNode? node) =>
        node is JsonValue v && (v.TryGetValue<long>(out var l) || (v.TryGetValue<int>(out var i) && (l = i) == i)) ? l : 0;

    public static bool IsTrue(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    public static string Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    /// <summary>A body naming another apiVersion or kind than the URL is 400; one naming none gets the URL's.</summary>
    public static void CheckTypeMeta(ResourceType type, JsonObject body)
    {
        var apiVersion = Text(body["apiVersion"]);
        if (apiVersion.Length > 0 && apiVersion != type.GroupVersion)
        {
            throw ApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({type.GroupVersion})");
        }
        var kind = Text(body["kind"]);
        if (kind.Length > 0 && kind != type.Kind)
        {
            throw ApiException.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({type.Kind})");
        }
        body["apiVersion"] = type.GroupVersion;
        body["kind"] = type.Kind;
    }

    private static void CheckNamespace(ResourceType type, string? ns, JsonObject metadata)
    {
        if (!type.Namespaced)
        {
            metadata.Remove("namespace");
            return;
        }
        var given = Text(metadata["namespace"]);
        if (given.Length > 0 && given != ns)
        {
            throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
        metadata["namespace"] = ns;
    }

    private static void Validate(ResourceType type, string name, JsonObject body)
    {
        var causes = new List<string>();
        if (name.Length == 0)
        {
            causes.Add("metadata.name: Required value: name or generateName is required");
        }
        else if (!NameRules.IsValid(type, name, out var problem))
        {
            causes.Add($"metadata.name: Invalid value: \"{name}\": {problem}");
        }
        causes.AddRange(AnnotationCauses(Metadata(body)));
        causes.AddRange(KindDefaults.Validate(type, body));
        if (causes.Count > 0)
        {
            throw ApiException.Invalid(type.Kind, name, causes, type.Group);
        }
    }

    /// <summary>kube-apiserver's limit on all of an object's annotations together: keys plus values, in bytes.</summary>
    private const int TotalAnnotationBytes = 256 * 1024;

    private static List<string> AnnotationCauses(JsonObject metadata)
    {
        var total = metadata["annotations"] is JsonObject annotations
            ? annotations.Sum(a => System.Text.Encoding.UTF8.GetByteCount(a.Key) + System.Text.Encoding.UTF8.GetByteCount(Text(a.Value)))
            : 0;
        return total > TotalAnnotationBytes ? [$"metadata.annotations: Too long: must have at most {TotalAnnotationBytes} bytes"] : [];
    }

    private static bool SpecChanged(JsonObject current, JsonObject next)
    {
        var keys = current.Select(p => p.Key).Concat(next.Select(p => p.Key)).Distinct()
            .Where(k => k is not ("metadata" or "status" or "apiVersion" or "kind"));
        return keys.Any(k => !JsonNode.DeepEquals(current[k], next[k]));
    }

    private static JsonObject Metadata(JsonObject body)
    {
        if (body["metadata"] is JsonObject metadata) return metadata;
        metadata = [];
        body["metadata"] = metadata;
        return metadata;
    }
}
