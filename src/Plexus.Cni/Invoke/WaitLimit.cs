using static Plexus.Cni.Invoke.SpawnNative;

namespace Plexus.Cni.Invoke;

/// <summary>
/// Where a wait on a plugin ends: a deadline on the monotonic clock (poll cannot wait on a virtual
/// clock) or a <see cref="WakeSignal"/> set by cancellation.
/// </summary>
internal readonly record struct WaitLimit(int WakeFd, long DeadlineMilliseconds)
{
    public static WaitLimit After(TimeSpan timeout, WakeSignal wake) =>
        new(wake.Fd, Environment.TickCount64 + (long)timeout.TotalMilliseconds);

    /// <summary>poll's timeout argument: what is left until the deadline, at least 0.</summary>
    public int RemainingMilliseconds() => (int)Math.Clamp(DeadlineMilliseconds - Environment.TickCount64, 0, int.MaxValue);

    /// <summary>After a poll that returned <paramref name="ready"/>: was it woken, or is the deadline past?</summary>
    public bool Reached(int ready, PollFd wake) => wake.Revents != 0 || (ready == 0 && RemainingMilliseconds() == 0);
}
