using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Plexus.Daemon.Logging;

namespace Plexus.Daemon.Server;

/// <summary>
/// The shutdown sequence: stop admitting (readyz 500), let admitted work finish for at most the drain timeout, then
/// cancel what is left (its delegates are killed) and stop the host. Everything after the drain timeout is bounded
/// by <see cref="Margin"/>, so the kubelet's grace period (drain timeout plus more than the margin) is never exceeded
/// and the socket and the generated config are always removed.
/// </summary>
internal sealed class DrainCoordinator
{
    /// <summary>How long cancelled requests get to end: their delegates killed and reaped, their answers written.</summary>
    public static readonly TimeSpan CancelGrace = TimeSpan.FromSeconds(2);

    /// <summary>The host's stop: last answers, the caches, and the node agent removing the generated config.</summary>
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(3);

    /// <summary>The most a shutdown takes beyond the drain timeout.</summary>
    public static TimeSpan Margin => CancelGrace + StopTimeout;

    private readonly Lock _gate = new();
    private readonly DrainState _drain;
    private readonly DaemonOptions _options;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly TimeProvider _time;
    private readonly ILogger<DrainCoordinator> _logger;
    private Task? _draining;

    public DrainCoordinator(DrainState drain, DaemonOptions options, IHostApplicationLifetime lifetime, TimeProvider time, ILogger<DrainCoordinator> logger)
    {
        _drain = drain;
        _options = options;
        _lifetime = lifetime;
        _time = time;
        _logger = logger;
        // A host that stops without a drain (a crashed cache, a disposed daemon) does not wait for running requests
        // either: they are answered "shutting down" and their delegates killed.
        lifetime.ApplicationStopping.Register(static state => _ = ((DrainState)state!).AbandonAsync(), drain);
    }

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
        _logger.Draining(reason, _drain.Active);
        var idle = _drain.BeginDrain();
        if (!await EndsWithinAsync(idle, _options.DrainTimeout).ConfigureAwait(false))
        {
            _logger.DrainTimedOut(_options.DrainTimeout.TotalSeconds, _drain.Active);
            await _drain.AbandonAsync().ConfigureAwait(false);
            if (!await EndsWithinAsync(idle, CancelGrace).ConfigureAwait(false))
            {
                _logger.CancelledWorkLingers(CancelGrace.TotalSeconds, _drain.Active);
            }
        }
        _lifetime.StopApplication();
    }

    private async Task<bool> EndsWithinAsync(Task task, TimeSpan timeout)
    {
        try
        {
            await task.WaitAsync(timeout, _time).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
