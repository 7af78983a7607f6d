using System.Threading.RateLimiting;
using Plexus.Daemon.Metrics;

namespace Plexus.Daemon.Server;

/// <summary>Why a request was answered with "try again later" instead of being run.</summary>
internal enum Rejection
{
    None,
    QueueFull,
    QueueTimeout,
    Draining,
}

/// <summary>
/// Admission control: at most <see cref="DaemonOptions.MaxInFlight"/> requests run, at most
/// <see cref="DaemonOptions.MaxQueued"/> wait (oldest first, each for at most <see cref="DaemonOptions.QueueWaitLimit"/>);
/// the rest are refused at once so a pod burst cannot grow memory without bound.
/// </summary>
internal sealed class RequestGate : IDisposable
{
    private readonly ConcurrencyLimiter _limiter;
    private readonly DaemonOptions _options;
    private readonly DaemonMetrics _metrics;
    private readonly TimeProvider _time;

    public RequestGate(DaemonOptions options, DaemonMetrics metrics, TimeProvider time)
    {
        _options = options;
        _metrics = metrics;
        _time = time;
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = _options.MaxInFlight,
            QueueLimit = _options.MaxQueued,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>Waits for a slot; the lease must be disposed when the work (not just the answer) is over.</summary>
    public async Task<(RateLimitLease? Lease, Rejection Rejection)> EnterAsync(CancellationToken cancellationToken)
    {
        using var wait = Deadline.After(_options.QueueWaitLimit, _time, cancellationToken);
        _metrics.Queued.Inc();
        RateLimitLease lease;
        try
        {
            lease = await _limiter.AcquireAsync(1, wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, Rejection.QueueTimeout);
        }
        finally
        {
            _metrics.Queued.Dec();
        }
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            return (null, Rejection.QueueFull);
        }
        _metrics.InFlight.Inc();
        return (new CountedLease(lease, _metrics), Rejection.None);
    }

    public void Dispose() => _limiter.Dispose();

    /// <summary>Keeps the in-flight gauge exact however the lease is released.</summary>
    private sealed class CountedLease(RateLimitLease inner, DaemonMetrics metrics) : RateLimitLease
    {
        private int _disposed;

        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => inner.MetadataNames;

        public override bool TryGetMetadata(string metadataName, out object? metadata) =>
            inner.TryGetMetadata(metadataName, out metadata);

        protected override void Dispose(bool disposing)
        {
            if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                metrics.InFlight.Dec();
                inner.Dispose();
            }
        }
    }
}
