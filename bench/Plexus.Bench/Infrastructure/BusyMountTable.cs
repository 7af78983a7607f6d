using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Plexus.Bench.Infrastructure;

/// <summary>
/// A mount table the size of a busy node's, private to one thread of the bench: the thread unshares its mount
/// namespace and mounts many small tmpfs in it, and every process spawned by work passed to <see cref="Run{T}"/>
/// starts with that table. Nothing reaches the host: the namespace's mounts are private, and the namespace and its
/// mounts go away when the thread ends. Root only.
/// </summary>
internal sealed partial class BusyMountTable : IDisposable
{
    private const int CLONE_NEWNS = 0x20000;
    private const ulong MS_NOSUID = 2;
    private const ulong MS_NODEV = 4;
    private const ulong MS_NOEXEC = 8;
    private const ulong MS_REC = 0x4000;
    private const ulong MS_PRIVATE = 0x40000;

    private readonly BlockingCollection<Action> work = [];
    private readonly string root = Directory.CreateTempSubdirectory("plexus-bench-mounts-").FullName;
    private readonly Thread thread;

    private BusyMountTable(int extraMounts, TaskCompletionSource ready)
    {
        thread = new Thread(() => Serve(extraMounts, ready)) { IsBackground = true, Name = "busy mount table" };
    }

    /// <summary>Entries in /proc/self/mountinfo of a process spawned from <see cref="Run{T}"/>.</summary>
    public int Entries { get; private set; }

    public static BusyMountTable Create(int extraMounts)
    {
        var ready = new TaskCompletionSource();
        var table = new BusyMountTable(extraMounts, ready);
        table.thread.Start();
        try
        {
            ready.Task.GetAwaiter().GetResult();
        }
        catch
        {
            table.Dispose();
            throw;
        }
        return table;
    }

    /// <summary>Runs <paramref name="action"/> on the thread that owns the mount table, and waits for it.</summary>
    public T Run<T>(Func<T> action)
    {
        var done = new TaskCompletionSource<T>();
        work.Add(() =>
        {
            try
            {
                done.SetResult(action());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        });
        return done.Task.GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        work.CompleteAdding();
        thread.Join();
        work.Dispose();
        // The tmpfs lived in the thread's namespace only: on the host the directory is empty.
        Directory.Delete(root, recursive: true);
    }

    private void Serve(int extraMounts, TaskCompletionSource ready)
    {
        try
        {
            Check(unshare(CLONE_NEWNS), "unshare the mount namespace");
            Check(mount(null, "/", null, MS_REC | MS_PRIVATE, null), "make / private in the new mount namespace");
            Mount(root, "size=1m,mode=0755");
            for (var i = 0; i < extraMounts; i++)
            {
                Mount(Directory.CreateDirectory(Path.Combine(root, $"m{i}")).FullName, "size=4k");
            }
            Entries = File.ReadLines("/proc/thread-self/mountinfo").Count();
        }
        catch (Exception e)
        {
            ready.SetException(e);
            return;
        }
        ready.SetResult();
        foreach (var action in work.GetConsumingEnumerable())
        {
            action();
        }
    }

    private static void Mount(string target, string options) =>
        Check(mount("plexus-bench", target, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, options), $"mount a tmpfs on {target}");

    private static void Check(int result, string what)
    {
        if (result != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new InvalidOperationException($"cannot {what}: {Marshal.GetPInvokeErrorMessage(errno)} (needs root)");
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int unshare(int flags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int mount(string? source, string target, string? fileSystemType, ulong flags, string? data);
}
