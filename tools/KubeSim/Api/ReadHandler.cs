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
        var page = ListPager.Page(request);
        if (request.WantsTable)
        {
            return HttpIo.WriteAsync(request.Http, 200, TableRenderer.Render(request.Type, page.Items, page.Revision,
                request.Query("includeObject"), request.State.Clock, page.Continue));
        }
        return HttpIo.WriteListAsync(request.Http, request.Type.GroupVersion, request.Type.ListKind, page.Revision, page.Continue,
            page.Remaining, page.Items.Select(request.Render));
    }

    public static JsonObject DeletedList(ApiRequest request, IEnumerable<JsonNode> items) => new()
    {
        ["kind"] = request.Type.ListKind,
        ["apiVersion"] = request.Type.GroupVersion,
        ["metadata"] = new JsonObject(),
        ["items"] = new JsonArray([.. items]),
    };
}
