using System.Runtime.InteropServices;
using System.Text;

namespace Plexus.Cni.Invoke;

/// <summary>
/// Starts a short-lived thread with pthread_create, the runtime attaching it on its first managed call.
/// <see cref="Thread.Start()"/> under NativeAOT waits for the new thread by calling sched_yield in a loop until
/// it runs; on a busy node that loop was the thin ADD's largest syscall cost (perf, 16 pods at once on 2 cores:
/// 0.6 ms of its 5 ms main-thread CPU, for one resolve thread and three result-cache writers).
/// </summary>
internal static unsafe partial class NativeThread
{
    /// <summary>Runs <paramref name="work"/> on a new detached thread named <paramref name="name"/>; the work must not throw.</summary>
    /// <returns>False when no thread could be created (the caller runs the work another way).</returns>
    public static bool TryStart(Action work, string name)
    {
        ArgumentNullException.ThrowIfNull(work);
        // Linux keeps 15 bytes of a thread name (for ps and perf); the thread sets it before it runs the work.
        var nameBytes = Encoding.UTF8.GetBytes(name.Length > 15 ? name[..15] : name);
        var handle = GCHandle.Alloc(new Work(work, [.. nameBytes, 0]));
        nuint thread;
        if (pthread_create(&thread, null, &Run, (void*)GCHandle.ToIntPtr(handle)) != 0)
        {
            handle.Free();
            return false;
        }
        pthread_detach(thread);
        return true;
    }

    private sealed record Work(Action Run, byte[] Name);

    [UnmanagedCallersOnly]
    private static void* Run(void* argument)
    {
        var handle = GCHandle.FromIntPtr((nint)argument);
        var work = (Work)handle.Target!;
        handle.Free();
        fixed (byte* name = work.Name)
        {
            pthread_setname_np(pthread_self(), name);
        }
        work.Run();
        return null;
    }

    [LibraryImport("libc")]
    private static partial int pthread_create(nuint* thread, void* attributes, delegate* unmanaged<void*, void*> start, void* argument);

    [LibraryImport("libc")]
    private static partial int pthread_detach(nuint thread);

    [LibraryImport("libc")]
    private static partial nuint pthread_self();

    [LibraryImport("libc")]
    private static partial int pthread_setname_np(nuint thread, byte* name);
}
