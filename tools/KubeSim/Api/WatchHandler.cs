using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plexus.KubeSim.Storage;

namespace Plexus.KubeSim.Api;

/// <summary>
/// watch: a chunked stream of <c>{"type":..,"object":..}</c> lines. Without a resourceVersion
/// (or "0") it starts with the current objects; from a resourceVersion it replays retained
/// history, or sends a 410 Expired ERROR event when that is older than the history holds.
/// Bookmarks (allowWatchBookmarks) come when the stream is idle; sendInitialEvents ends the
/// initial state with the "k8s.io/initial-events-end" bookmark.
/// </summary>
internal static class WatchHandler
{
    private static readonly byte[] EventEnd = "}\n"u8.ToArray();

    public static async Task WatchAsync(ApiRequest request)
    {
        var since = ParseVersion(request.Query("resourceVersion"));
        var sendInitial = request.QueryFlag("sendInitialEvents");
        var bookmarks = request.QueryFlag("allowWatchBookmarks");
        var filter = Selectors.Compile(request.Type, request.Query("labelSelector"), request.Query("fieldSelector"));
        var ns = request.Type.Namespaced ? request.Path.Namespace : null;
        if (request.Path.Name is { } name)
        {
            var byName = filter;
            filter = o => ObjectLifecycle.Text(o["metadata"]?["name"]) == name && byName(o);
        }
        using var subscription = request.State.Store.Subscribe(request.Type.StorageKey, ns, filter,
            sendInitial ? null : since, out var compacted);
        var http = request.Http;
        http.Response.StatusCode = 200;
        http.Response.ContentType = HttpIo.Json;
        await http.Response.StartAsync(request.Aborted);
        if (subscription is null)
        {
            var status = ApiException.Gone($"too old resource version: {since} ({compacted})").ToStatus();
            await WriteEventAsync(http.Response.BodyWriter, "ERROR", status, request.Aborted);
            return;
        }
        using var timeout = Timeout(request);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(request.Aborted, subscription.Dropped, timeout.Token);
        var initialPending = sendInitial && bookmarks;
        try
        {
            await StreamAsync(request, subscription, bookmarks, initialPending, stop.Token);
        }
        catch (OperationCanceledException) when (subscription.Dropped.IsCancellationRequested)
        {
            // A dropped-watch fault: end the connection abruptly, as a failing API server would.
            http.Abort();
        }
        catch (OperationCanceledException)
        {
            // Timeout or client gone: the stream just ends.
        }
    }

    private static async Task StreamAsync(ApiRequest request, WatchSubscription subscription, bool bookmarks, bool initialPending,
        CancellationToken cancel)
    {
        var writer = request.Http.Response.BodyWriter;
        var interval = request.State.Options.BookmarkInterval;
        while (true)
        {
            while (subscription.Events.TryRead(out var change))
            {
                await WriteEventAsync(writer, change.Type, EventObject(request, change.Object), cancel, flush: false);
            }
            if (initialPending && request.State.Store.BookmarkRevision(subscription) is { } endRevision)
            {
                await WriteEventAsync(writer, "BOOKMARK", Bookmark(request, endRevision, initialEnd: true), cancel, flush: false);
                initialPending = false;
            }
            await writer.FlushAsync(cancel);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            if (bookmarks) wait.CancelAfter(interval);
            try
            {
                await subscription.Events.WaitToReadAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
            {
                if (request.State.Store.BookmarkRevision(subscription) is { } revision)
                {
                    await WriteEventAsync(writer, "BOOKMARK", Bookmark(request, revision, initialEnd: false), cancel);
                }
            }
        }
    }

    private static byte[] EventObject(ApiRequest request, StoredObject obj) =>
        request.WantsTable
            ? JsonSerializer.SerializeToUtf8Bytes(TableRenderer.Render(request.Type, [obj], obj.ResourceVersion,
                request.Query("includeObject"), request.State.Clock))
            : request.Render(obj);

    private static JsonObject Bookmark(ApiRequest request, long revision, bool initialEnd)
    {
        var metadata = new JsonObject { ["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture) };
        if (initialEnd) metadata["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
        return new JsonObject { ["kind"] = request.Type.Kind, ["apiVersion"] = request.Type.GroupVersion, ["metadata"] = metadata };
    }

    private static Task WriteEventAsync(PipeWriter writer, string type, JsonNode obj, CancellationToken cancel, bool flush = true) =>
        WriteEventAsync(writer, type, JsonSerializer.SerializeToUtf8Bytes(obj), cancel, flush);

    private static async Task WriteEventAsync(PipeWriter writer, string type, byte[] obj, CancellationToken cancel, bool flush = true)
    {
        writer.Write(Encoding.UTF8.GetBytes($"{{\"type\":\"{type}\",\"object\":"));
        writer.Write(obj);
        writer.Write(EventEnd);
        if (flush) await writer.FlushAsync(cancel);
    }

    private static CancellationTokenSource Timeout(ApiRequest request)
    {
        var source = new CancellationTokenSource();
        if (int.TryParse(request.Query("timeoutSeconds"), out var seconds) && seconds > 0)
        {
            source.CancelAfter(TimeSpan.FromSeconds(seconds));
        }
        return source;
    }

    private static long? ParseVersion(string? text) =>
        string.IsNullOrEmpty(text) || text == "0" ? null
        : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var rv) ? rv
        : throw ApiException.BadRequest($"invalid resource version: {text}");
}
