using Plexus.Core.Service;
using Plexus.Kube;
using Prometheus;

namespace Plexus.Daemon.Metrics;

/// <summary>
/// Every metric plexusd exports, in one private registry (no library defaults beyond process stats).
/// Names are listed in the README; labels are bounded sets (verbs, results, network and cache names).
/// </summary>
public sealed class DaemonMetrics : IKubeRequestObserver, IAttachmentObserver
{
    private static readonly double[] LatencyBuckets = Histogram.ExponentialBuckets(0.005, 2, 14);

    public DaemonMetrics()
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        DotNetStats.Register(Registry);
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        Requests = factory.CreateCounter("plexus_daemon_requests_total",
            "CNI requests answered, by verb and result (success, error, rejected, timeout, cancelled).", "verb", "result");
        RequestDuration = factory.CreateHistogram("plexus_daemon_request_duration_seconds",
            "Time from admission to answer of CNI requests, by verb.",
            new HistogramConfiguration { LabelNames = ["verb"], Buckets = LatencyBuckets });
        DelegateDuration = factory.CreateHistogram("plexus_delegate_duration_seconds",
            "Time one attachment's delegate network took (every plugin of its chain, once per attachment), by verb (ADD, DEL, CHECK) " +
            "and network (namespace/name of a NAD; the conf name of the cluster network's conf or a static delegate).",
            new HistogramConfiguration { LabelNames = ["verb", "network"], Buckets = LatencyBuckets });
        InFlight = factory.CreateGauge("plexus_daemon_requests_in_flight", "CNI requests running now.");
        Queued = factory.CreateGauge("plexus_daemon_requests_queued", "CNI requests waiting for a slot.");
        Rejected = factory.CreateCounter("plexus_daemon_rejected_total",
            "CNI requests answered with code 11 without running, by reason (queue_full, queue_timeout, draining, body_budget).", "reason");
        RequestBodyBytes = factory.CreateGauge("plexus_daemon_request_body_bytes",
            "Bytes held for request bodies on the socket, read or being read, until their requests are answered.");
        ConnectionsRefused = factory.CreateCounter("plexus_daemon_connections_refused_total",
            "Connections closed at once because their listener (socket, metrics) had its limit of open connections.", "listener");
        MultusCompat = factory.CreateCounter("multus_server_request_total",
            "Multus-compatible request counter by handler, HTTP code and method.", "handler", "code", "method");
        CacheObjects = factory.CreateGauge("plexus_cache_objects", "Objects held by a watch cache.", "cache");
        WatchRestarts = factory.CreateCounter("plexus_cache_watch_restarts_total",
            "Watch streams restarted, by cache and reason (closed, error, expired, idle).", "cache", "reason");
        LastEventAge = factory.CreateGauge("plexus_cache_last_event_age_seconds",
            "Seconds since a cache last heard from the API server (a watch event or bookmark, a listed object), by cache.", "cache");
        CacheMisses = factory.CreateCounter("plexus_cache_misses_total",
            "Lookups not in a cache that fell back to a live GET, by cache.", "cache");
        ApiRequests = factory.CreateCounter("plexus_kube_api_requests_total",
            "Kubernetes API requests, by verb, resource and HTTP code.", "verb", "resource", "code");
        ApiDuration = factory.CreateHistogram("plexus_kube_api_request_duration_seconds",
            "Kubernetes API request latency (watch streams excluded), by verb and resource.",
            new HistogramConfiguration { LabelNames = ["verb", "resource"], Buckets = LatencyBuckets });
        ConfigRegenerations = factory.CreateCounter("plexus_config_regenerations_total",
            "Generated CNI config writes by the in-process node agent, by result.", "result");
        DoctorFindings = factory.CreateCounter("plexus_doctor_findings_total",
            "Findings of the node agent's doctor in the watch loop, by finding (e.g. self_delegation).", "finding");
    }

    public CollectorRegistry Registry { get; }

    public Counter Requests { get; }

    public Histogram RequestDuration { get; }

    public Histogram DelegateDuration { get; }

    public Gauge InFlight { get; }

    public Gauge Queued { get; }

    public Counter Rejected { get; }

    public Gauge RequestBodyBytes { get; }

    public Counter ConnectionsRefused { get; }

    public Counter MultusCompat { get; }

    public Gauge CacheObjects { get; }

    public Counter WatchRestarts { get; }

    public Gauge LastEventAge { get; }

    /// <summary>Sets <see cref="LastEventAge"/> of <paramref name="cache"/> from <paramref name="age"/> at every scrape.</summary>
    public void TrackLastEventAge(string cache, Func<TimeSpan> age)
    {
        var gauge = LastEventAge.WithLabels(cache);
        Registry.AddBeforeCollectCallback(() => gauge.Set(age().TotalSeconds));
    }

    public Counter CacheMisses { get; }

    public Counter ApiRequests { get; }

    public Histogram ApiDuration { get; }

    /// <summary>
    /// One API request, from the caches' lists and watches or the live client's gets and writes, under the same labels.
    /// A watch is counted but not timed: its duration is the stream's life, not the server's latency.
    /// </summary>
    public void Completed(string verb, string resource, string code, TimeSpan elapsed)
    {
        ApiRequests.WithLabels(verb, resource, code).Inc();
        if (verb != "watch")
        {
            ApiDuration.WithLabels(verb, resource).Observe(elapsed.TotalSeconds);
        }
    }

    /// <summary>One attachment's delegate chain: labelled by network (bounded by the NADs and the config), never by pod.</summary>
    public void Completed(string verb, string network, TimeSpan elapsed) =>
        DelegateDuration.WithLabels(verb, network).Observe(elapsed.TotalSeconds);

    public Counter ConfigRegenerations { get; }

    public Counter DoctorFindings { get; }
}
