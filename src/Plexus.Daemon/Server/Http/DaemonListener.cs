using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Plexus.Daemon.Logging;

namespace Plexus.Daemon.Server.Http;

/// <summary>
/// plexusd's HTTP/1.1 server: the CNI API on the unix socket and <c>/metrics</c> on the optional TCP endpoint, each
/// connection an <see cref="Http1Connection"/>. Hand-written instead of Kestrel: the daemon serves five fixed paths
/// to local clients, and Kestrel with its pipelines, HTTP/2-3 and web-host layers was 3 MB of plexusd's 15 MB image,
/// all of it resident (RSS after sync 25.1 -> 22.0 MiB). Stopping closes the listeners and idle connections, lets
/// running requests answer, and aborts what is left after <see cref="AnswerWait"/>.
/// </summary>
internal sealed class DaemonListener(DaemonOptions options, DaemonRouter router, TimeProvider time, ILogger<DaemonListener> logger) : IHostedService, IDisposable
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
        _acceptLoops.Add(AcceptAsync(_unix, onMetricsPort: false));
        if (options.MetricsEndpoint is { } endpoint)
        {
            _metrics = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            if (endpoint.AddressFamily == AddressFamily.InterNetworkV6)
            {
                // "[::]" takes IPv4 clients too, as Kestrel's listener did.
                _metrics.DualMode = true;
            }
            Listen(_metrics, endpoint, $"for metrics on {endpoint} (metricsAddress; another process holds it, or pick a free port)");
            _acceptLoops.Add(AcceptAsync(_metrics, onMetricsPort: true));
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

    private async Task AcceptAsync(Socket listener, bool onMetricsPort)
    {
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
            if (_connections.Count >= options.MaxConnections)
            {
                logger.TooManyConnections(_connections.Count);
                client.Dispose();
                continue;
            }
            if (onMetricsPort)
            {
                client.NoDelay = true;
            }
            var connection = new Http1Connection(client, onMetricsPort, HandleAsync, options.IdleTimeout, time);
            _connections[connection] = Task.Run(async () =>
            {
                await connection.RunAsync(_stopping.Token).ConfigureAwait(false);
                _connections.TryRemove(connection, out _);
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
}
