using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Plexus.Daemon.Logging;
using Plexus.Daemon.Metrics;
using Plexus.Daemon.Server;

namespace Plexus.Daemon;

/// <summary>
/// plexusd's server: Kestrel on the unix socket (CNI API) and on a loopback TCP port (metrics), one host
/// for the caches and the node agent that the caller registers as hosted services.
/// The caller registers the <see cref="Cni.ICniCallHandler"/> that does the work.
/// </summary>
public sealed class DaemonServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SocketFileStore _socket;

    private DaemonServer(WebApplication app, SocketFileStore socket)
    {
        _app = app;
        _socket = socket;
    }

    public IServiceProvider Services => _app.Services;

    /// <summary>The metrics URL actually bound (the configured port may be 0 in tests); null when disabled.</summary>
    public Uri? MetricsUri { get; private set; }

    /// <exception cref="InvalidOperationException">Another daemon already owns the socket.</exception>
    public static DaemonServer Build(DaemonOptions options, DaemonMetrics metrics, Action<ILoggingBuilder> logging, Action<IServiceCollection> services)
    {
        // The empty builder with the core Kestrel: no appsettings/env configuration, routing, HTTPS configuration or
        // developer pages, which this daemon never uses and which made 1 MiB of plexusd's image (RSS after sync -1.8 MiB).
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseKestrelCore();
        logging(builder.Logging);
        var startupLogger = LoggerFactory.Create(logging).CreateLogger<DaemonServer>();
        var socket = SocketFileStore.Claim(options.SocketPath, startupLogger);
        try
        {
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.AddServerHeader = false;
                kestrel.Limits.MaxRequestBodySize = 4 << 20;
                kestrel.ListenUnixSocket(options.SocketPath);
                if (options.MetricsEndpoint is { } endpoint)
                {
                    kestrel.Listen(endpoint);
                }
            });
            builder.Services.Configure<HostOptions>(host =>
            {
                host.ShutdownTimeout = options.DrainTimeout + TimeSpan.FromSeconds(5);
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
            var app = builder.Build();
            var router = app.Services.GetRequiredService<DaemonRouter>();
            app.Run(router.RouteAsync);
            return new DaemonServer(app, socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        _socket.Restrict();
        var options = _app.Services.GetRequiredService<DaemonOptions>();
        var addresses = _app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        MetricsUri = addresses.Where(a => a.StartsWith("http://", StringComparison.Ordinal) && !a.Contains("unix:", StringComparison.Ordinal))
            .Select(a => new Uri(a.Replace("[::]", IPAddress.IPv6Loopback.ToString(), StringComparison.Ordinal) + "/metrics"))
            .FirstOrDefault();
        _app.Logger.Listening(options.SocketPath, options.MaxInFlight, options.MaxQueued, MetricsUri?.ToString() ?? "(disabled)");
    }

    /// <summary>What SIGTERM does: readyz 500, refuse new requests, wait for admitted ones, stop.</summary>
    public Task DrainAndStopAsync(string reason) =>
        _app.Services.GetRequiredService<DrainCoordinator>().DrainAndStopAsync(reason);

    /// <summary>Completes when the host has stopped (after a drain, or a stop through the host lifetime).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>
    /// The background services (caches, node agent) that ended with an exception, each logged by name. The host
    /// stops when one of them crashes; without this check that stop would look like a clean SIGTERM.
    /// </summary>
    public IReadOnlyList<string> FailedServices()
    {
        var failed = new List<string>();
        foreach (var service in _app.Services.GetServices<IHostedService>().OfType<BackgroundService>())
        {
            if (service.ExecuteTask is { IsFaulted: true } task)
            {
                var name = service.ToString() ?? service.GetType().Name;
                var error = task.Exception!.GetBaseException();
                _app.Logger.ServiceFailed(name, error.GetType().Name, error.Message, error);
                failed.Add(name);
            }
        }
        return failed;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        _socket.Dispose();
        _app.Logger.Stopped(_socket.SocketPath);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
