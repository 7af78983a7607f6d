using Plexus.Daemon.Metrics;

namespace Plexus.Daemon.Server.Http;

/// <summary>
/// The bytes all request bodies on the socket may hold at once, shared by its connections: a body's array is counted
/// here before it is allocated and given back when its request is answered. Without it each of hundreds of
/// connections could pin a 4 MiB body (1–2 GiB against the DaemonSet's 512 Mi limit). A body beyond it is answered
/// code 11 at once, as a full queue is.
/// </summary>
internal sealed class BodyBudget(long limit, DaemonMetrics metrics)
{
    /// <summary>What each request the gate admits may hold on average: a real CNI body (config and environment) is a few KiB.</summary>
    private const long ShareOfRequest = 64 << 10;

    /// <summary>At least two bodies of the maximum size fit at once.</summary>
    private const long Floor = 2L * RequestBody.MaxBytes;

    /// <summary>At most an eighth of the DaemonSet's 512 Mi memory limit, however large the admission limits.</summary>
    private const long Ceiling = 64L << 20;

    private long _held;

    public long Limit => limit;

    /// <summary>Sized from the admission limits: the requests that may run or wait at once.</summary>
    public static BodyBudget For(DaemonOptions options, DaemonMetrics metrics) =>
        new(Math.Clamp((options.MaxInFlight + (long)options.MaxQueued) * ShareOfRequest, Floor, Ceiling), metrics);

    /// <summary>Counts <paramref name="bytes"/> more unless that would pass the limit (then the refusal is counted).</summary>
    public bool TryTake(long bytes)
    {
        var held = Volatile.Read(ref _held);
        while (true)
        {
            if (held + bytes > limit)
            {
                metrics.Rejected.WithLabels("body_budget").Inc();
                return false;
            }
            var seen = Interlocked.CompareExchange(ref _held, held + bytes, held);
            if (seen == held)
            {
                metrics.RequestBodyBytes.Inc(bytes);
                return true;
            }
            held = seen;
        }
    }

    public void Return(long bytes)
    {
        Interlocked.Add(ref _held, -bytes);
        metrics.RequestBodyBytes.Dec(bytes);
    }
}
