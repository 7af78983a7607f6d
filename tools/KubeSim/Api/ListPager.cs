using Plexus.KubeSim.Storage;

namespace Plexus.KubeSim.Api;

/// <summary>One page of a list: its items, the list's resourceVersion, and what is left.</summary>
internal sealed record ListPage(IReadOnlyList<StoredObject> Items, long Revision, string? Continue, long? Remaining);

/// <summary>
/// Pages lists like the API server: every page of a paged list shows the store as it was at the first
/// page (and reports that resourceVersion), and a continue token whose snapshot is gone gets 410 Expired
/// with a token that continues inconsistently from the live store, as etcd compaction does.
/// </summary>
internal static class ListPager
{
    private const string ExpiredMessage =
        "The provided continue parameter is too old to display a consistent list result. You can start a new list " +
        "without the continue parameter, or use the continue token in this response to retrieve the remainder of the " +
        "results. Continuing with the provided token results in an inconsistent list - objects that were created, " +
        "modified, or deleted between the time the first chunk was returned and now may show up in the list.";

    public static ListPage Page(ApiRequest request)
    {
        var limit = int.TryParse(request.Query("limit"), out var l) && l > 0 ? l : 0;
        var ns = request.Type.Namespaced ? request.Path.Namespace : null;
        var scope = $"{request.Type.StorageKey}|{ns}";
        var token = request.Query("continue");
        if (string.IsNullOrEmpty(token))
        {
            var (items, revision) = Live(request, ns, after: null);
            return Cut(request.State.Snapshots, scope, items, 0, limit, revision, snapshot: null);
        }
        if (request.Query("resourceVersion") is { Length: > 0 } version && version != "0")
        {
            throw ApiException.BadRequest("specifying resource version is not allowed when using continue");
        }
        var position = ContinueToken.Decode(token);
        if (position.Snapshot is null)
        {
            var (items, revision) = Live(request, ns, position.After);
            return Cut(request.State.Snapshots, scope, items, 0, limit, revision, snapshot: null);
        }
        var kept = request.State.Snapshots.Find(position.Snapshot, scope);
        if (kept is null || kept.Revision != position.Revision || position.Offset >= kept.Items.Count)
        {
            throw new ApiException(410, "Expired", ExpiredMessage)
            {
                Continue = new ContinueToken(ContinueToken.Live, position.After, null, 0).Encode(),
            };
        }
        return Cut(request.State.Snapshots, scope, kept.Items, position.Offset, limit, kept.Revision, position.Snapshot);
    }

    private static (List<StoredObject> Items, long Revision) Live(ApiRequest request, string? ns, string? after)
    {
        var filter = Selectors.Compile(request.Type, request.Query("labelSelector"), request.Query("fieldSelector"));
        var (items, revision) = request.State.Store.List(request.Type.StorageKey, ns, filter);
        return (after is null ? items : items.Where(o => string.CompareOrdinal(Key(o), after) > 0).ToList(), revision);
    }

    // A first page (snapshot null) that does not hold everything keeps the rest; a continue page reads
    // on in its snapshot, and the last page lets it go.
    private static ListPage Cut(ListSnapshots snapshots, string scope, IReadOnlyList<StoredObject> items, int offset, int limit,
        long revision, string? snapshot)
    {
        var end = limit > 0 ? (int)Math.Min((long)offset + limit, items.Count) : items.Count;
        var page = items.Skip(offset).Take(end - offset).ToList();
        if (end == items.Count)
        {
            if (snapshot is not null) snapshots.Drop(snapshot);
            return new ListPage(page, revision, null, null);
        }
        var next = snapshot is null
            ? new ContinueToken(revision, Key(page[^1]), snapshots.Keep(scope, items.Skip(end).ToList(), revision), 0)
            : new ContinueToken(revision, Key(page[^1]), snapshot, end);
        return new ListPage(page, revision, next.Encode(), items.Count - end);
    }

    private static string Key(StoredObject obj) => (obj.Namespace ?? "") + "/" + obj.Name;
}
