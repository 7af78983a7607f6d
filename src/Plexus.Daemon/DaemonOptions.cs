using System.Net;
using Plexus.Daemon.Protocol;

namespace Plexus.Daemon;

/// <summary>Everything plexusd's server part can be told; one immutable snapshot.</summary>
public sealed record DaemonOptions
{
    public string SocketDir { get; init; } = DaemonEndpoints.DefaultSocketDir;

    /// <summary>The socket's file name in <see cref="SocketDir"/>; <c>multus.sock</c> in <c>/run/multus</c> serves an unmodified multus-shim.</summary>
    public string SocketName { get; init; } = DaemonEndpoints.SocketFileName;

    /// <summary>
    /// CNI requests run at once. A request mostly waits on its delegate processes and the kernel, so
    /// the limit is well above the core count: at 2 per core, 16 concurrent pods on 2 cores ran at
    /// 0.70x the delegates' own throughput, at 16 in flight 0.87x (make bench).
    /// </summary>
    public int MaxInFlight { get; init; } = Math.Max(16, 4 * Environment.ProcessorCount);

    /// <summary>Requests waiting for a slot; beyond this the daemon answers code 11 at once instead of growing.</summary>
    public int MaxQueued { get; init; } = Math.Max(64, 16 * Environment.ProcessorCount);

    /// <summary>
    /// Open connections on the socket; a new one beyond is closed at once (the shim answers code 11). Each holds up to a
    /// 16 KiB head buffer: without a bound, thousands of half-sent requests grew the daemon by 130 MB.
    /// </summary>
    public int MaxConnections => Math.Max(256, 4 * (MaxInFlight + MaxQueued));

    /// <summary>How long a queued request may wait for a slot before it is answered with code 11 (see <see cref="QueueWaitLimit"/>).</summary>
    public TimeSpan QueueTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long one request may take from when plexusd has read it, its wait for a slot included: below the shim's overall
    /// timeout so the daemon's error is the one seen, whatever <see cref="QueueTimeout"/> is.
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(55);

    /// <summary>The longest a request waits for a slot: the queue timeout, or the whole request budget when that is shorter.</summary>
    public TimeSpan QueueWaitLimit => QueueTimeout < RequestTimeout ? QueueTimeout : RequestTimeout;

    /// <summary>How long SIGTERM waits for in-flight requests before the server stops anyway.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Prometheus endpoint; null disables it. Loopback by default: metrics are for the node's scraper.</summary>
    public IPEndPoint? MetricsEndpoint { get; init; } = new(IPAddress.Loopback, 9464);

    /// <summary>
    /// Open connections on the metrics port: a scraper keeps one or two, the kubelet's probes one each at a time. Beyond it a
    /// connection is closed at once; the socket counts its own (<see cref="MaxConnections"/>), so the metrics port, which
    /// may be reachable from the whole network, never keeps a CNI call out.
    /// </summary>
    public int MetricsMaxConnections { get; init; } = 16;

    /// <summary>
    /// How long a metrics-port connection may take to send a whole request head once idle (the port reads no body): a
    /// stalled client holds one of its few connections seconds, not the socket's <see cref="IdleTimeout"/>.
    /// </summary>
    public TimeSpan MetricsHeadTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a connection may take to send a whole request once it is idle (Kestrel's keep-alive timeout was
    /// 130 s): a client that connects and stalls cannot hold a connection for ever.
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(2);

    public bool JsonLogs { get; init; }

    public string SocketPath => DaemonEndpoints.SocketPath(SocketDir, SocketName);
}
