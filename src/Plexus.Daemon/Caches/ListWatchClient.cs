using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Plexus.Daemon.Metrics;
using Plexus.Kube;

namespace Plexus.Daemon.Caches;

/// <summary>
/// Paged lists and watch streams over <see cref="IKubeApi"/>, counting every request in the metrics.
/// A watch is a stream of concatenated JSON documents <c>{"type","object"}</c>, read as they arrive.
/// </summary>
internal sealed class ListWatchClient(IKubeApi api, DaemonMetrics metrics)
{
    private const int PageSize = 500;

    /// <summary>
    /// Lists every object page by page, handing each to <paramref name="take"/> as its page is decoded, so only
    /// one page of wire objects is alive at a time; returns the list's resourceVersion.
    /// </summary>
    public async Task<string> ListAsync<TWire, T>(CacheResource<TWire, T> resource, Action<TWire> take, CancellationToken cancellationToken)
        where T : class
    {
        string? next = null;
        while (true)
        {
            var query = Query(resource, ("limit", PageSize.ToString(CultureInfo.InvariantCulture)), ("continue", next));
            using var response = await SendAsync(resource.Path + query, cancellationToken).ConfigureAwait(false);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var page = (await JsonSerializer.DeserializeAsync(body, resource.ListType, cancellationToken).ConfigureAwait(false)
                ?? throw new KubeApiException(HttpStatusCode.InternalServerError, $"empty list of {resource.Name}")).Checked(resource.Name);
            page.Items.ForEach(take);
            next = page.Metadata.Continue;
            if (string.IsNullOrEmpty(next))
            {
                return page.Metadata.ResourceVersion ?? "";
            }
        }
    }

    public async IAsyncEnumerable<WatchEventWire> WatchAsync<TWire, T>(
        CacheResource<TWire, T> resource, string resourceVersion, TimeSpan serverTimeout,
        [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class
    {
        var query = Query(resource,
            ("watch", "true"),
            ("allowWatchBookmarks", "true"),
            ("resourceVersion", resourceVersion),
            ("timeoutSeconds", ((int)serverTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture)));
        using var response = await SendAsync(resource.Path + query, cancellationToken).ConfigureAwait(false);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var events = JsonSerializer.DeserializeAsyncEnumerable(body, DaemonJsonContext.Default.WatchEventWire, topLevelValues: true, cancellationToken);
        await foreach (var watchEvent in events.ConfigureAwait(false))
        {
            if (watchEvent is not null)
            {
                yield return watchEvent;
            }
        }
    }

    private async Task<HttpResponseMessage> SendAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        var labels = KubeRequestLabels.Of(HttpMethod.Get, pathAndQuery);
        var response = await metrics.TimeAsync(labels,
            () => api.SendAsync(new HttpRequestMessage(HttpMethod.Get, pathAndQuery), cancellationToken), cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new KubeApiException(response.StatusCode,
                $"{labels.Verb} {labels.Resource}: HTTP {(int)response.StatusCode}: {text[..Math.Min(text.Length, 300)]}");
        }
    }

    private static string Query<TWire, T>(CacheResource<TWire, T> resource, params (string Key, string? Value)[] pairs)
        where T : class
    {
        var all = pairs.Prepend((Key: "fieldSelector", Value: resource.FieldSelector)).Where(p => !string.IsNullOrEmpty(p.Value));
        return "?" + string.Join("&", all.Select(p => p.Key + "=" + Uri.EscapeDataString(p.Value!)));
    }
}
