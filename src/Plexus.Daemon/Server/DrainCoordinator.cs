using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Plexus.Daemon.Logging;

namespace Plexus.Daemon.Server;

/// <summary>The shutdown sequence: stop admitting (readyz 500), let admitted work finish (bounded), then stop the host.</summary>
internal sealed class DrainCoordinator(
    DrainState drain, DaemonOptions options, IHostApplicationLifetime lifetime, TimeProvider time, ILogger<DrainCoordinator> logger)
{
    private readonly Lock _gate = new();
    private Task? _draining;

    /// <summary>Idempotent: a second signal joins the first drain.</summary>
    public Task DrainAndStopAsync(string reason)
    {
        lock (_gate)
        {
            return _draining ??= RunAsync(reason);
        }
    }

    private async Task RunAsync(string reason)
    {
        logger.Draining(reason, drain.Active);
        try
        {
            await drain.BeginDrain().WaitAsync(options.DrainTimeout, time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            logger.DrainTimedOut(options.DrainTimeout.TotalSeconds, drain.Active);
        }
        lifetime.StopApplication();
    }
}
