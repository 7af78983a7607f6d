using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Plexus.Daemon.Logging;
using Plexus.Daemon.Metrics;

namespace Plexus.Daemon.Server.Http;

/// <summary>
/// plexusd's HTTP/1.1 server: the CNI API on the unix socket and <c>/metrics</c> on the optional TCP endpoint, each
/// connection an <see cref="Http1Connection"/>. Hand-written instead of Kestrel: the daemon serves five fixed paths
/// to local clients, and Kestrel with its pipelines, HTTP/2-3 and web-host layers was 3 MB of plexusd's 15 MB image,
/// all of it resident (RSS after sync 25.1 -> 22.0 MiB). Stopping closes the listeners and idle connections, lets
/// running requests answer, and aborts what is left after <see cref="AnswerWait"/>.
/// Each listener has its own connection limit: the metrics port may be reachable from the whole network (the
/// shipped DaemonSet binds 0.0.0.0 with hostNetwork), and connections to it must never keep a CNI call out.
/// </summary>
internal sealed class DaemonListener(
    DaemonOptions options, DaemonRouter router, DaemonMetrics metrics, TimeProvider time, ILogger<DaemonListener> logger) : IHostedService, IDisposable
{
    private const int Backlog = 512;

    /// <summary>
    /// How long running requests get to answer once the listener stops. Work still running by then has been cancelled
    /// already (DrainCoordinator); the rest of the host's stop timeout is left to the services stopped after the
    /// listener (the node agent removes the generated config).
    /// </summary>
    private static readonly TimeSpan AnswerWait = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Http1Connection, Task> _connections = new();
    private readonly List<Task> _acceptLoops = [];
    private Socket? _unix;
    private Socket? _metrics;

    /// <summary>Where <c>/metrics</c> is served once started (the configured port may be 0); null when disabled.</summary>
    public IPEndPoint? MetricsEndPoint => _metrics?.LocalEndPoint as IPEndPoint;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        Listen(_unix, new UnixDomainSocketEndPoint(options.SocketPath), $"on {options.SocketPath}");
        _acceptLoops.Add(AcceptAsync(_unix, new Port("socket", $"socket {options.SocketPath}", servesMetrics: false, options.MaxConnections, options.IdleTimeout, BodyBudget.For(options, metrics))));
        if (options.MetricsEndpoint is { } endpoint)
        {
            _metrics = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            if (endpoint.AddressFamily == AddressFamily.InterNetworkV6)
            {
                // "[::]" takes IPv4 clients too, as Kestrel's listener did.
                _metrics.DualMode = true;
            }
            Listen(_metrics, endpoint, $"for metrics on {endpoint} (metricsAddress; another process holds it, or pick a free port)");
            _acceptLoops.Add(AcceptAsync(_metrics, new Port("metrics", $"metrics port {endpoint}", servesMetrics: true, options.MetricsMaxConnections, options.MetricsHeadTimeout,
                bodies: null)));
        }
        return Task.CompletedTask;
    }

    /// <summary>A failed bind says where, so plexusd exits with that line instead of an unhandled SocketException.</summary>
    private static void Listen(Socket socket, EndPoint endpoint, string where)
    {
        try
        {
            socket.Bind(endpoint);
            socket.Listen(Backlog);
        }
        catch (SocketException e)
        {
            throw new IOException($"cannot listen {where}: {e.Message}", e);
        }
    }

    /// <summary>Idempotent: the host stops its services after a drain, and disposing the daemon stops them again.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        _unix?.Dispose();
        _metrics?.Dispose();
        await Task.WhenAll(_acceptLoops).ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_connections.Values).WaitAsync(AnswerWait, time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException)
        {
            foreach (var connection in _connections.Keys)
            {
                connection.Abort();
            }
        }
    }

    // The token source is not disposed: connections may still read its token while the host disposes its services.
    public void Dispose()
    {
        _unix?.Dispose();
        _metrics?.Dispose();
    }

    private async Task AcceptAsync(Socket listener, Port port)
    {
        var refusals = new RefusalLog(port.Description, port.MaxConnections, time, logger);
        var refused = metrics.ConnectionsRefused.WithLabels(port.Label);
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException || _stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                // E.g. EMFILE under a burst: the client sees its connect fail, the daemon keeps accepting.
                logger.AcceptFailed(e.SocketErrorCode.ToString(), e.Message);
                continue;
            }
            if (!port.TryOpen())
            {
                // Closed at once: a shim then answers code 11, a scraper or probe sees its connection reset. Counted first, so a
                // client that saw the close finds it in the metric.
                refused.Inc();
                refusals.Refused();
                client.Dispose();
                continue;
            }
            if (port.ServesMetrics)
            {
                client.NoDelay = true;
            }
            var connection = new Http1Connection(client, port.ServesMetrics, port.Bodies, HandleAsync, port.RequestTimeout, time);
            _connections[connection] = Task.Run(async () =>
            {
                try
                {
                    await connection.RunAsync(_stopping.Token).ConfigureAwait(false);
                }
                finally
                {
                    _connections.TryRemove(connection, out _);
                    port.Closed();
                }
            });
        }
    }

    private async Task<DaemonResponse> HandleAsync(DaemonRequest request, CancellationToken aborted)
    {
        try
        {
            return await router.RouteAsync(request, aborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.RequestCrashed(request.Path, e);
            return DaemonResponse.Text(500, "internal error");
        }
    }

    /// <summary>One listener and the bounds of its connections, counted apart from the other listener's.</summary>
    /// <param name="label">The listener's value of <c>plexus_daemon_connections_refused_total</c>'s label.</param>
    /// <param name="description">The listener as a log line names it.</param>
    /// <param name="requestTimeout">How long an idle connection may take to send a whole request.</param>
    /// <param name="bodies">What all request bodies on the listener may hold at once; null when it takes none.</param>
    private sealed class Port(string label, string description, bool servesMetrics, int maxConnections, TimeSpan requestTimeout, BodyBudget? bodies)
    {
        private int _open;

        public string Label => label;

        public string Description => description;

        public bool ServesMetrics => servesMetrics;

        public int MaxConnections => maxConnections;

        public TimeSpan RequestTimeout => requestTimeout;

        public BodyBudget? Bodies => bodies;

        /// <summary>Counts a new connection unless the limit is reached; only the listener's accept loop calls it.</summary>
        public bool TryOpen()
        {
            if (Volatile.Read(ref _open) >= MaxConnections)
            {
                return false;
            }
            Interlocked.Increment(ref _open);
            return true;
        }

        public void Closed() => Interlocked.Decrement(ref _open);
    }
}
