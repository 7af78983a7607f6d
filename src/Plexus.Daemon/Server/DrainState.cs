namespace Plexus.Daemon.Server;

/// <summary>
/// Ready until SIGTERM; then draining: /readyz answers 500, new CNI requests are refused, and
/// shutdown waits until the requests already admitted have finished, or gives up on them (<see cref="Abandoned"/>).
/// </summary>
internal sealed class DrainState
{
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _abandoned = new();
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _active;
    private bool _draining;

    public bool IsDraining
    {
        get
        {
            lock (_gate)
            {
                return _draining;
            }
        }
    }

    public int Active
    {
        get
        {
            lock (_gate)
            {
                return _active;
            }
        }
    }

    /// <summary>Admits a request unless draining; every true must be paired with <see cref="Exit"/>.</summary>
    public bool TryEnter()
    {
        lock (_gate)
        {
            if (_draining)
            {
                return false;
            }
            _active++;
            return true;
        }
    }

    public void Exit()
    {
        lock (_gate)
        {
            _active--;
            if (_draining && _active == 0)
            {
                _idle.TrySetResult();
            }
        }
    }

    /// <summary>
    /// Cancelled when shutdown stops waiting for admitted requests: they are answered "shutting down" and their
    /// work is cancelled (a cancelled delegate is killed), so no plugin outlives the daemon.
    /// </summary>
    public CancellationToken Abandoned => _abandoned.Token;

    /// <summary>Idempotent; the token source is never disposed, requests may still link to its token.</summary>
    public Task AbandonAsync() => _abandoned.CancelAsync();

    /// <summary>Stops admitting; the task completes when nothing admitted is left running.</summary>
    public Task BeginDrain()
    {
        lock (_gate)
        {
            _draining = true;
            if (_active == 0)
            {
                _idle.TrySetResult();
            }
            return _idle.Task;
        }
    }
}
