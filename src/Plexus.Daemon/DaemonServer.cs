using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Plexus.Daemon.Logging;
using Plexus.Daemon.Metrics;
using Plexus.Daemon.Server;
using Plexus.Daemon.Server.Http;

namespace Plexus.Daemon;

/// <summary>
/// plexusd's server: <see cref="DaemonListener"/> on the unix socket (CNI API) and on a loopback TCP port (metrics), one host
/// for the caches and the node agent that the caller registers as hosted services.
/// The caller registers the <see cref="Cni.ICniCallHandler"/> that does the work.
/// </summary>
public sealed class DaemonServer : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly SocketFileStore _socket;
    private readonly ILogger<DaemonServer> _logger;

    private DaemonServer(IHost host, SocketFileStore socket)
    {
        _host = host;
        _socket = socket;
        _logger = host.Services.GetRequiredService<ILogger<DaemonServer>>();
    }

    public IServiceProvider Services => _host.Services;

    /// <summary>The metrics URL actually bound (the configured port may be 0 in tests); null when disabled.</summary>
    public Uri? MetricsUri { get; private set; }

    /// <exception cref="InvalidOperationException">Another daemon already owns the socket.</exception>
    public static DaemonServer Build(DaemonOptions options, DaemonMetrics metrics, Action<ILoggingBuilder> logging, Action<IServiceCollection> services)
    {
        // No content files are read; the default content root is the executable's directory, which after a chrootDir
        // lies outside the root and reads back as "(unreachable)/…", a relative path the host refuses.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = "/" });
        logging(builder.Logging);
        var startupLogger = LoggerFactory.Create(logging).CreateLogger<DaemonServer>();
        var socket = SocketFileStore.Claim(options.SocketPath, startupLogger);
        try
        {
            builder.Services.Configure<HostOptions>(host =>
            {
                // The drain has already waited (DrainCoordinator): the stop itself is short and fixed, so a SIGTERM
                // ends within the drain timeout plus DrainCoordinator.Margin.
                host.ShutdownTimeout = DrainCoordinator.StopTimeout;
                // A crashed cache or agent loop stops the daemon (FailedServices turns that into a non-zero exit).
                host.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost;
            });
            builder.Services.AddSingleton(options);
            builder.Services.AddSingleton(metrics);
            builder.Services.AddSingleton(TimeProvider.System);
            builder.Services.AddSingleton<DrainState>();
            builder.Services.AddSingleton<RequestGate>();
            builder.Services.AddSingleton<CniEndpoint>();
            builder.Services.AddSingleton<DaemonRouter>();
            builder.Services.AddSingleton<DrainCoordinator>();
            builder.Services.AddSingleton<IHostLifetime, SignalLifetime>();
            services(builder.Services);
            // Registered last: it starts after the caches and the agent and, stopping first, refuses connections
            // before they go away.
            builder.Services.AddSingleton<DaemonListener>();
            builder.Services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<DaemonListener>());
            return new DaemonServer(builder.Build(), socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _host.StartAsync(cancellationToken).ConfigureAwait(false);
        _socket.Restrict();
        var options = _host.Services.GetRequiredService<DaemonOptions>();
        MetricsUri = _host.Services.GetRequiredService<DaemonListener>().MetricsEndPoint is { } endpoint ? MetricsUrl(endpoint) : null;
        _logger.Listening(options.SocketPath, options.MaxInFlight, options.MaxQueued, MetricsUri?.ToString() ?? "(disabled)");
    }

    /// <summary>A wildcard bind is reached through loopback.</summary>
    private static Uri MetricsUrl(IPEndPoint endpoint)
    {
        var address = endpoint.Address.Equals(IPAddress.Any) ? IPAddress.Loopback
            : endpoint.Address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback
            : endpoint.Address;
        return new Uri($"http://{new IPEndPoint(address, endpoint.Port)}/metrics");
    }

    /// <summary>What SIGTERM does: readyz 500, refuse new requests, wait for admitted ones, stop.</summary>
    public Task DrainAndStopAsync(string reason) =>
        _host.Services.GetRequiredService<DrainCoordinator>().DrainAndStopAsync(reason);

    /// <summary>Completes when the host has stopped (after a drain, or a stop through the host lifetime).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _host.WaitForShutdownAsync(cancellationToken);

    /// <summary>
    /// The background services (caches, node agent) that ended with an exception, each logged by name. The host
    /// stops when one of them crashes; without this check that stop would look like a clean SIGTERM.
    /// </summary>
    public IReadOnlyList<string> FailedServices()
    {
        var failed = new List<string>();
        foreach (var service in _host.Services.GetServices<IHostedService>().OfType<BackgroundService>())
        {
            if (service.ExecuteTask is { IsFaulted: true } task)
            {
                var name = service.ToString() ?? service.GetType().Name;
                var error = task.Exception!.GetBaseException();
                _logger.ServiceFailed(name, error.GetType().Name, error.Message, error);
                failed.Add(name);
            }
        }
        return failed;
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        _socket.Dispose();
        _logger.Stopped(_socket.SocketPath);
        if (_host is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            _host.Dispose();
        }
    }
}
