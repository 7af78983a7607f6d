using System.Text.Json.Nodes;
using Plexus.KubeSim.Storage;

namespace Plexus.KubeSim.Api;

/// <summary>create, update (PUT), and delete of one object or a collection.</summary>
internal static class WriteHandler
{
    public static async Task CreateAsync(ApiRequest request)
    {
        var body = await request.ReadObjectAsync();
        var result = Create(request, body);
        await HttpIo.WriteAsync(request.Http, 201, request.Render(result));
    }

    /// <summary>Stores a new object (also server-side apply of a missing one); 409 when the name is taken.</summary>
    public static StoredObject Create(ApiRequest request, JsonObject body)
    {
        var type = request.Type;
        var ns = request.StoreNamespace;
        if (type.Namespaced && request.State.Store.Get("/namespaces", "", ns) is null)
        {
            throw ApiException.NotFound("namespaces", ns);
        }
        var prepared = type.ToStorage(ObjectLifecycle.PrepareCreate(type, type.Namespaced ? ns : null, body, request.State.Clock));
        var name = ObjectLifecycle.Text(prepared["metadata"]!["name"]);
        if (request.Path.Name is { } urlName && urlName != name)
        {
            throw ApiException.BadRequest($"the name of the object ({name}) does not match the name on the URL ({urlName})");
        }
        return request.State.Store.Write(type.StorageKey, ns, name, current =>
        {
            if (current is not null) throw ApiException.AlreadyExists(type.Plural, name, type.Group);
            KindDefaults.BeforeStore(type, request.State.Store, prepared, previous: null);
            return prepared;
        }, request.DryRun).Object!;
    }

    public static async Task UpdateAsync(ApiRequest request)
    {
        var body = await request.ReadObjectAsync();
        // A PUT's uid is a precondition on the stored object (a patch's uid is validated instead).
        var result = Update(request, _ => body, uidPrecondition: ObjectLifecycle.Text(body["metadata"]?["uid"]));
        await HttpIo.WriteAsync(request.Http, 200, request.Render(result));
    }

    /// <summary>
    /// Replaces an object with what <paramref name="next"/> makes of the current one (PUT or a
    /// patch), with the resourceVersion precondition, status-subresource rules and finalizers.
    /// </summary>
    public static StoredObject Update(ApiRequest request, Func<JsonObject, JsonObject> next, string uidPrecondition = "")
    {
        var type = request.Type;
        var name = request.Path.Name!;
        var result = request.State.Store.Write(type.StorageKey, request.StoreNamespace, name, current =>
        {
            if (current is null) throw ApiException.NotFound(type.Plural, name, type.Group);
            CheckUid(request, current, uidPrecondition);
            var shown = type.FromStorage(current.Node);
            var updated = ObjectLifecycle.PrepareUpdate(type, type.Namespaced ? request.StoreNamespace : null,
                shown, next((JsonObject)shown.DeepClone()), request.Path.Subresource);
            if (IsFinalized(updated)) return null;
            KindDefaults.BeforeStore(type, request.State.Store, updated, shown);
            return type.ToStorage(updated);
        }, request.DryRun);
        return result.Object!;
    }

    public static async Task DeleteAsync(ApiRequest request)
    {
        var type = request.Type;
        var name = request.Path.Name!;
        var options = request.Http.Request.ContentLength is > 0 ? await request.ReadJsonAsync() : null;
        var preconditionRv = ObjectLifecycle.Text(options?["preconditions"]?["resourceVersion"]);
        var preconditionUid = ObjectLifecycle.Text(options?["preconditions"]?["uid"]);
        var dryRun = request.DryRun || (options?["dryRun"] as JsonArray)?.Any(v => ObjectLifecycle.Text(v) == "All") == true;
        var result = request.State.Store.Write(type.StorageKey, request.StoreNamespace, name, current =>
        {
            if (current is null) throw ApiException.NotFound(type.Plural, name, type.Group);
            var metadata = current.Node["metadata"]!;
            if ((preconditionRv.Length > 0 && preconditionRv != ObjectLifecycle.Text(metadata["resourceVersion"]))
                || (preconditionUid.Length > 0 && preconditionUid != ObjectLifecycle.Text(metadata["uid"])))
            {
                throw ApiException.Conflict(type.Plural, name, type.Group);
            }
            return HasFinalizers(current.Node) ? MarkDeleting(current.CloneNode(), request.State.Clock) : null;
        }, dryRun);
        await HttpIo.WriteAsync(request.Http, 200, request.Render(result.Object!));
    }

    public static async Task DeleteCollectionAsync(ApiRequest request)
    {
        var filter = Selectors.Compile(request.Type, request.Query("labelSelector"), request.Query("fieldSelector"));
        var (items, _) = request.State.Store.List(request.Type.StorageKey, request.Type.Namespaced ? request.Path.Namespace : null, filter);
        var deleted = new List<JsonNode>();
        foreach (var item in items)
        {
            var result = request.State.Store.Write(request.Type.StorageKey, item.Namespace ?? "", item.Name,
                current => current is null ? null : HasFinalizers(current.Node) ? MarkDeleting(current.CloneNode(), request.State.Clock) : null,
                request.DryRun);
            if (result.Object is { } obj) deleted.Add(request.Type.FromStorage(obj.Node).DeepClone());
        }
        await HttpIo.WriteAsync(request.Http, 200, ReadHandler.DeletedList(request, deleted));
    }

    private static void CheckUid(ApiRequest request, StoredObject current, string precondition)
    {
        var stored = ObjectLifecycle.Text(current.Node["metadata"]?["uid"]);
        if (precondition.Length == 0 || precondition == stored) return;
        var type = request.Type;
        // The storage layer's wording, as kube-apiserver passes it through (custom resources are keyed by group).
        var builtin = type.IsBuiltin;
        var key = $"/registry/{(builtin ? "" : type.Group + "/")}{type.Plural}/{(type.Namespaced ? request.StoreNamespace + "/" : "")}{current.Name}";
        throw ApiException.Conflict(type.Plural, current.Name, type.Group,
            $"StorageError: invalid object, Code: 4, Key: {key}, ResourceVersion: 0, " +
            $"AdditionalErrorMsg: Precondition failed: UID in precondition: {precondition}, UID in object meta: {stored}");
    }

    private static bool HasFinalizers(JsonObject obj) => obj["metadata"]?["finalizers"] is JsonArray { Count: > 0 };

    // An object being deleted goes once its last finalizer is removed.
    private static bool IsFinalized(JsonObject obj) => obj["metadata"]?["deletionTimestamp"] is not null && !HasFinalizers(obj);

    private static JsonObject MarkDeleting(JsonObject obj, TimeProvider clock)
    {
        obj["metadata"]!["deletionTimestamp"] ??= ObjectLifecycle.Timestamp(clock);
        obj["metadata"]!["deletionGracePeriodSeconds"] ??= 0;
        return obj;
    }
}
