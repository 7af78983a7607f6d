using System.Diagnostics;
using System.Runtime.InteropServices;
using static Plexus.Cni.Invoke.SpawnNative;

namespace Plexus.Cni.Invoke;

/// <summary>
/// Releases exited plugins a few milliseconds after they exit rather than at once. The kernel wakes the parent of
/// a multi-threaded child (every Go plugin) as the child's last thread exits, before that thread has flushed its
/// /proc entries; a wait in that window spins inside the kernel (<c>release_task</c>, <c>proc_flush_pid</c>,
/// <c>d_walk</c>) until the exiting thread gets a CPU again: rare on an idle machine, common here with builds running.
/// Profiled here with builds running beside the bench, that spin was a third of the thin plugin's CPU and half of
/// plexusd's, 5–30 ms per reap; a reap 2 ms after the exit cost 0.02 ms.
/// <see cref="PluginProcess"/> reads the exit status without releasing the child (<c>waitid</c> with <c>WNOWAIT</c>)
/// and hands it here.
/// </summary>
public static unsafe class DeferredReaper
{
    /// <summary>How long an exited child is left before it is released.</summary>
    public static readonly TimeSpan SettleTime = TimeSpan.FromMilliseconds(3);

    private static readonly Lock Gate = new();
    private static readonly List<(int Pid, long ExitedAt)> Exited = [];
    private static Timer? _timer;
    private static bool _timerArmed;
    private static int _backgroundScopes;

    /// <summary>Children handed over and not released yet.</summary>
    public static int Pending
    {
        get
        {
            lock (Gate)
            {
                return Exited.Count;
            }
        }
    }

    /// <summary>
    /// For a long-running process: until the returned scope is disposed, each exited child is released on a timer once
    /// it has settled, and the rest when the scope ends. Without a scope, settled children are released when the next
    /// one is handed over and the rest by <see cref="ReapAll"/> (no timer thread in a one-shot CNI process).
    /// </summary>
    public static IDisposable ReapInBackground()
    {
        lock (Gate)
        {
            _backgroundScopes++;
            _timer ??= new Timer(static _ => OnTimer(), null, Timeout.Infinite, Timeout.Infinite);
            ArmTimer();
        }
        return new BackgroundScope();
    }

    /// <summary>
    /// Releases every child handed over, settled or not: a one-shot process calls this before it exits (waiting for the
    /// last one to settle would add that wait to every CNI call), a background scope when it ends.
    /// </summary>
    public static void ReapAll() => Release(settledOnly: false);

    /// <summary>Takes over <paramref name="pid"/>, a child that has exited and was waited for with <c>WNOWAIT</c>.</summary>
    internal static void Add(int pid)
    {
        lock (Gate)
        {
            Exited.Add((pid, Stopwatch.GetTimestamp()));
            ArmTimer();
        }
        Release(settledOnly: true);
    }

    private static void OnTimer()
    {
        Release(settledOnly: true);
        lock (Gate)
        {
            _timerArmed = false;
            ArmTimer();
        }
    }

    private static void ArmTimer()
    {
        if (_backgroundScopes > 0 && !_timerArmed && Exited.Count > 0)
        {
            _timerArmed = true;
            _timer!.Change(SettleTime, Timeout.InfiniteTimeSpan);
        }
    }

    private sealed class BackgroundScope : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1)
            {
                return;
            }
            lock (Gate)
            {
                _backgroundScopes--;
            }
            ReapAll();
        }
    }

    private static void Release(bool settledOnly)
    {
        List<int> due;
        lock (Gate)
        {
            due = [.. Exited.Where(child => !settledOnly || Stopwatch.GetElapsedTime(child.ExitedAt) >= SettleTime).Select(child => child.Pid)];
            Exited.RemoveAll(child => due.Contains(child.Pid));
        }
        foreach (var pid in due)
        {
            int status;
            // ECHILD (someone else released it) and success alike: the child is gone either way. WNOHANG: a zombie is released
            // at once, and should the pid have been released and handed to a new child meanwhile, that one is not waited for.
            while (waitpid(pid, &status, WNOHANG) < 0 && Marshal.GetLastPInvokeError() == EINTR)
            {
            }
        }
    }
}
