namespace Plexus.Daemon.Server;

/// <summary>A token that fires after a timeout on the given clock, or when the outer token fires.</summary>
internal sealed class Deadline : IDisposable
{
    private readonly CancellationTokenSource _timer;
    private readonly CancellationTokenSource _linked;

    private Deadline(TimeSpan timeout, TimeProvider time, CancellationToken outer)
    {
        _timer = new CancellationTokenSource(timeout, time);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(outer, _timer.Token);
    }

    public CancellationToken Token => _linked.Token;

    /// <summary>True when the timeout, not the outer token, ended the wait.</summary>
    public bool Expired => _timer.IsCancellationRequested;

    public static Deadline After(TimeSpan timeout, TimeProvider time, CancellationToken outer) => new(timeout, time, outer);

    public void Dispose()
    {
        _linked.Dispose();
        _timer.Dispose();
    }
}
