namespace Plexus.Testing;

/// <summary>
/// Virtual time for tests: timers fire and timestamps move only when the test calls <see cref="Advance"/>, and the test
/// can wait until the code under test has started a timer of a given length before advancing.
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<ManualTimer> _timers = [];
    private readonly List<(TimeSpan Due, int Count, TaskCompletionSource Started)> _waiters = [];
    private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Every finite timer length the code under test asked for, in order.</summary>
    public List<TimeSpan> RequestedDelays { get; } = [];

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    // Timestamps follow the virtual clock too, so elapsed times measured by the code under test are the test's.
    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Completes once a timer of length <paramref name="due"/> has been started (counting ones already started).</summary>
    public Task WaitForTimerAsync(TimeSpan due, int count = 1)
    {
        lock (_lock)
        {
            if (RequestedDelays.Count(d => d == due) >= count)
            {
                return Task.CompletedTask;
            }
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((due, count, started));
            return started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    public void Advance(TimeSpan by)
    {
        List<ManualTimer> due;
        lock (_lock)
        {
            _now += by;
            due = [.. _timers.Where(t => t.DueAt <= _now)];
            foreach (var timer in due)
            {
                _timers.Remove(timer);
            }
        }
        foreach (var timer in due)
        {
            timer.Fire();
        }
    }

    private void Schedule(ManualTimer timer, TimeSpan dueTime)
    {
        List<TaskCompletionSource> started = [];
        lock (_lock)
        {
            _timers.Remove(timer);
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                return;
            }
            timer.DueAt = _now + dueTime;
            _timers.Add(timer);
            RequestedDelays.Add(dueTime);
            foreach (var waiter in _waiters.Where(w => w.Due == dueTime && RequestedDelays.Count(d => d == dueTime) >= w.Count).ToList())
            {
                _waiters.Remove(waiter);
                started.Add(waiter.Started);
            }
        }
        started.ForEach(s => s.SetResult());
    }

    private void Cancel(ManualTimer timer)
    {
        lock (_lock)
        {
            _timers.Remove(timer);
        }
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset DueAt { get; set; }

        // Periodic timers are not needed by Plexus; a period is ignored.
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            owner.Schedule(this, dueTime);
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() => owner.Cancel(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
