using System.Text.Json.Nodes;

namespace Plexus.KubeSim.Api;

/// <summary>PATCH: JSON merge, JSON patch, strategic merge (built-in types only) and server-side apply.</summary>
internal static class PatchHandler
{
    // Strategic merge needs the Go types' patch strategies, which custom resources do not have.
    private static readonly string[] CustomPatchTypes =
        ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml", "application/apply-patch+json"];
    private static readonly string[] BuiltinPatchTypes = [.. CustomPatchTypes, "application/strategic-merge-patch+json"];

    public static async Task PatchAsync(ApiRequest request)
    {
        var contentType = request.MediaType;
        var builtin = request.Type.IsBuiltin;
        if (!Accepted(builtin).Contains(contentType))
        {
            throw ApiException.UnsupportedMediaType(contentType, Accepted(builtin));
        }
        var patch = await request.ReadJsonAsync();
        switch (contentType)
        {
            case "application/merge-patch+json":
                await RespondAsync(request, 200, WriteHandler.Update(request, current => Merge(current, patch, strategic: false)));
                break;
            case "application/strategic-merge-patch+json":
                await RespondAsync(request, 200, WriteHandler.Update(request, current => Merge(current, patch, strategic: true)));
                break;
            case "application/json-patch+json":
                await RespondAsync(request, 200, WriteHandler.Update(request, current =>
                    JsonPatch.Apply(current, patch) as JsonObject ?? throw ApiException.BadRequest("json patch result is not an object")));
                break;
            case "application/apply-patch+yaml" or "application/apply-patch+json":
                await ApplyAsync(request, patch as JsonObject ?? throw ApiException.BadRequest("apply patch must be a JSON object"), builtin);
                break;
        }
    }

    private static string[] Accepted(bool builtin) => builtin ? BuiltinPatchTypes : CustomPatchTypes;

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
