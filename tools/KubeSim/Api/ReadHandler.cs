using System.Text;
using System.Text.Json.Nodes;

namespace Plexus.KubeSim.Api;

/// <summary>get and list (selectors, limit/continue, Table output).</summary>
internal static class ReadHandler
{
    public static Task GetAsync(ApiRequest request)
    {
        var obj = request.State.Store.Get(request.Type.StorageKey, request.StoreNamespace, request.Path.Name!)
            ?? throw ApiException.NotFound(request.Type.Plural, request.Path.Name!, request.Type.Group);
        if (request.WantsTable)
        {
            return HttpIo.WriteAsync(request.Http, 200, TableRenderer.Render(request.Type, [obj], obj.ResourceVersion,
                request.Query("includeObject"), request.State.Clock));
        }
        return HttpIo.WriteAsync(request.Http, 200, request.Render(obj));
    }

    public static Task ListAsync(ApiRequest request)
    {
        var filter = Selectors.Compile(request.Type, request.Query("labelSelector"), request.Query("fieldSelector"));
        var (items, revision) = request.State.Store.List(request.Type.StorageKey, request.Type.Namespaced ? request.Path.Namespace : null, filter);
        var after = DecodeContinue(request.Query("continue"));
        if (after is not null)
        {
            items = items.Where(o => string.CompareOrdinal(Key(o), after) > 0).ToList();
        }
        string? next = null;
        long? remaining = null;
        if (int.TryParse(request.Query("limit"), out var limit) && limit > 0 && items.Count > limit)
        {
            remaining = items.Count - limit;
            items = items.Take(limit).ToList();
            next = Convert.ToBase64String(Encoding.UTF8.GetBytes(Key(items[^1])));
        }
        if (request.WantsTable)
        {
            return HttpIo.WriteAsync(request.Http, 200, TableRenderer.Render(request.Type, items, revision,
                request.Query("includeObject"), request.State.Clock, next));
        }
        return HttpIo.WriteListAsync(request.Http, request.Type.GroupVersion, request.Type.ListKind, revision, next, remaining,
            items.Select(request.Render));
    }

    private static string Key(Storage.StoredObject obj) => (obj.Namespace ?? "") + "/" + obj.Name;

    private static string? DecodeContinue(string? token)
    {
        if (string.IsNullOrEmpty(token)) return null;
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(token));
        }
        catch (FormatException)
        {
            throw ApiException.BadRequest($"continue key is not valid: {token}");
        }
    }

    public static JsonObject DeletedList(ApiRequest request, IEnumerable<JsonNode> items) => new()
    {
        ["kind"] = request.Type.ListKind,
        ["apiVersion"] = request.Type.GroupVersion,
        ["metadata"] = new JsonObject(),
        ["items"] = new JsonArray([.. items]),
    };
}
