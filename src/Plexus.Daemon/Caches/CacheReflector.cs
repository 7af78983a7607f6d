using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Plexus.Daemon.Logging;
using Plexus.Daemon.Metrics;

namespace Plexus.Daemon.Caches;

/// <summary>
/// Keeps a <see cref="ResourceCache{T}"/> in step with the API server: list, then watch from the list's
/// resourceVersion; a closed stream resumes from the last version seen, a 410 (history compacted)
/// relists, any other failure backs off (0.5 s doubling to 30 s) and resumes. A list or watch that delivers nothing
/// (no object, event or bookmark) for <see cref="KubeCaches.WatchIdleTimeout"/> is given up and started again.
/// </summary>
internal sealed class CacheReflector<TWire, T>(
    CacheResource<TWire, T> resource, ResourceCache<T> cache, ListWatchClient client,
    DaemonMetrics metrics, TimeProvider time, ILogger<CacheReflector<TWire, T>> logger) : BackgroundService
    where T : class
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>Servers end watches after this; a random spread keeps many nodes from reconnecting together.</summary>
    private static TimeSpan ServerTimeout() => TimeSpan.FromSeconds(300 + Random.Shared.Next(300));

    // When the API server last delivered something to this cache: read by the metrics scrape, hence Volatile.
    private long _lastHeard = time.GetTimestamp();

    /// <summary>How the daemon names this loop when it crashes.</summary>
    public override string ToString() => $"the {resource.Name} cache (list+watch)";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        metrics.TrackLastEventAge(resource.Name, () => time.GetElapsedTime(Volatile.Read(ref _lastHeard)));
        string? version = null;
        var backoff = FirstBackoff;
        while (!stoppingToken.IsCancellationRequested)
        {
            string reason;
            using var idle = new CancellationTokenSource(KubeCaches.WatchIdleTimeout, time);
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, idle.Token);
            void Heard()
            {
                Volatile.Write(ref _lastHeard, time.GetTimestamp());
                idle.CancelAfter(KubeCaches.WatchIdleTimeout);
            }
            try
            {
                version ??= await RelistAsync(Heard, attempt.Token).ConfigureAwait(false);
                await foreach (var watchEvent in client.WatchAsync(resource, version, ServerTimeout(), attempt.Token).ConfigureAwait(false))
                {
                    Heard();
                    version = Apply(watchEvent) ?? version;
                    backoff = FirstBackoff;
                }
                reason = "closed";
            }
            catch (KubeApiException e) when (e.Expired)
            {
                version = null;
                reason = "expired";
            }
            // However the abandoned read ends (cancelled, or the connection torn down under it), it is the idle timeout's doing.
            catch (Exception e) when (idle.IsCancellationRequested && !stoppingToken.IsCancellationRequested
                && e is OperationCanceledException or IOException or HttpRequestException)
            {
                logger.WatchIdle(resource.Name, KubeCaches.WatchIdleTimeout.TotalSeconds);
                reason = "idle";
            }
            // A timeout (HttpClient's, while an overloaded server keeps the headers back) is transient like a refused connection.
            catch (Exception e) when (!stoppingToken.IsCancellationRequested
                && e is KubeApiException or HttpRequestException or IOException or JsonException or OperationCanceledException)
            {
                logger.WatchFailed(resource.Name, e.Message, backoff.TotalSeconds);
                metrics.WatchRestarts.WithLabels(resource.Name, "error").Inc();
                await Task.Delay(backoff, time, stoppingToken).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, backoff.Ticks * 2));
                continue;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            metrics.WatchRestarts.WithLabels(resource.Name, reason).Inc();
            logger.WatchRestarted(resource.Name, reason);
        }
    }

    /// <param name="heard">Called for every object listed (a long list that keeps arriving is not idle) and for the list's end.</param>
    private async Task<string> RelistAsync(Action heard, CancellationToken cancellationToken)
    {
        var items = new List<KeyValuePair<(string Namespace, string Name), T>>();
        var version = await client.ListAsync(resource, item =>
        {
            heard();
            items.Add(KeyValuePair.Create(resource.Key(item), resource.Shrink(item)));
        }, cancellationToken).ConfigureAwait(false);
        heard();
        cache.Replace(items);
        metrics.CacheObjects.WithLabels(resource.Name).Set(cache.Count);
        logger.CacheListed(resource.Name, cache.Count, version);
        // The list's pages are garbage now. A relist is rare (start-up, expired history), so a full collection that
        // hands the memory back to the OS is cheap next to carrying thousands of dead wire objects until gen0 fills.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return version;
    }

    /// <summary>Applies one event; returns the resourceVersion to resume from, or null to keep the current one.</summary>
    private string? Apply(WatchEventWire watchEvent)
    {
        if (watchEvent.Type == "ERROR")
        {
            var status = watchEvent.ObjectAs(DaemonJsonContext.Default.KubeStatus);
            throw new KubeApiException((System.Net.HttpStatusCode)(status.Code is 0 ? 500 : status.Code),
                $"watch {resource.Name}: {status.Reason} {status.Message}");
        }
        var item = watchEvent.ObjectAs(resource.ItemType);
        // A BOOKMARK's object carries only a resourceVersion: no key to compute.
        switch (watchEvent.Type)
        {
            case "ADDED" or "MODIFIED":
                cache.Set(resource.Key(item), resource.Shrink(item));
                break;
            case "DELETED":
                cache.Remove(resource.Key(item));
                break;
        }
        metrics.CacheObjects.WithLabels(resource.Name).Set(cache.Count);
        return resource.Meta(item)?.ResourceVersion;
    }
}
