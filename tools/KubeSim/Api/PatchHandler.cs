using System.Text.Json.Nodes;

namespace Plexus.KubeSim.Api;

/// <summary>PATCH: JSON merge, JSON patch, strategic merge (built-in types only) and server-side apply.</summary>
internal static class PatchHandler
{
    public static async Task PatchAsync(ApiRequest request)
    {
        var contentType = request.Http.Request.ContentType?.Split(';')[0].Trim() ?? "";
        var patch = await request.ReadJsonAsync();
        var builtin = Discovery.BuiltinResources.All.Any(t => t.StorageKey == request.Type.StorageKey);
        switch (contentType)
        {
            case "application/merge-patch+json":
                await RespondAsync(request, 200, WriteHandler.Update(request, current => Merge(current, patch, strategic: false)));
                break;
            case "application/strategic-merge-patch+json" when builtin:
                await RespondAsync(request, 200, WriteHandler.Update(request, current => Merge(current, patch, strategic: true)));
                break;
            case "application/json-patch+json":
                await RespondAsync(request, 200, WriteHandler.Update(request, current =>
                    JsonPatch.Apply(current, patch) as JsonObject ?? throw ApiException.BadRequest("json patch result is not an object")));
                break;
            case "application/apply-patch+yaml" or "application/apply-patch+json":
                await ApplyAsync(request, patch as JsonObject ?? throw ApiException.BadRequest("apply patch must be a JSON object"), builtin);
                break;
            default:
                throw ApiException.UnsupportedMediaType(contentType);
        }
    }

    // Server-side apply without field ownership: creates the object, or merges the applied
    // configuration into it (fields another manager set are kept, none are removed).
    private static async Task ApplyAsync(ApiRequest request, JsonObject applied, bool builtin)
    {
        if (string.IsNullOrEmpty(request.Query("fieldManager")))
        {
            throw ApiException.BadRequest("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
        }
        var exists = request.State.Store.Get(request.Type.StorageKey, request.StoreNamespace, request.Path.Name!) is not null;
        if (!exists && request.Path.Subresource is null)
        {
            await RespondAsync(request, 201, WriteHandler.Create(request, applied));
            return;
        }
        await RespondAsync(request, 200, WriteHandler.Update(request, current =>
        {
            var merged = Merge(current, applied, builtin);
            // An applied config without a resourceVersion is never a stale write.
            merged["metadata"]!["resourceVersion"] = current["metadata"]?["resourceVersion"]?.DeepClone();
            return merged;
        }));
    }

    private static JsonObject Merge(JsonObject current, JsonNode? patch, bool strategic) =>
        MergePatch.Apply(current, patch, strategic) as JsonObject
        ?? throw ApiException.BadRequest("the patch does not produce an object");

    private static Task RespondAsync(ApiRequest request, int status, Storage.StoredObject result) =>
        HttpIo.WriteAsync(request.Http, status, request.Render(result));
}
