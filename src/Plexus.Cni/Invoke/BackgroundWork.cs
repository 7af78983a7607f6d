namespace Plexus.Cni.Invoke;

/// <summary>
/// Starts work that overlaps a delegate's run: on the thread pool in a server (starting a thread and waiting for it
/// to run took about 1 ms in plexusd), or on a short thread of its own in a one-shot plugin, which never starts the pool (see <see cref="NativeThread"/>).
/// The returned task completes on that thread, so an awaiter that was waiting goes on there, not on the pool.
/// </summary>
public static class BackgroundWork
{
    public static Task<T> Start<T>(Func<Task<T>> work, bool onThreadPool, string threadName)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (onThreadPool)
        {
            return Task.Run(work);
        }
        var done = new TaskCompletionSource<T>();
        void Run()
        {
            try
            {
                done.SetResult(work().GetAwaiter().GetResult());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        }
        if (!NativeThread.TryStart(Run, threadName))
        {
            new Thread(Run) { IsBackground = true, Name = threadName }.Start();
        }
        return done.Task;
    }

    public static Task Start(Action work, bool onThreadPool, string threadName) =>
        Start(() =>
        {
            work();
            return Task.FromResult(true);
        }, onThreadPool, threadName);
}
