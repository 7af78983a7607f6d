using System.Runtime.ExceptionServices;
using Microsoft.Win32.SafeHandles;

namespace Plexus.Linux.Netns;

/// <summary>
/// Runs synchronous work inside a network namespace. Namespaces belong to OS threads, so the work
/// runs on a fresh dedicated thread that enters the namespace with setns and is then discarded:
/// no pool thread ever carries a foreign namespace, and nothing may await inside the work.
/// </summary>
public static class NetnsRunner
{
    private const string ThreadNetns = "/proc/thread-self/ns/net";

    /// <summary>Runs <paramref name="action"/> inside the namespace at <paramref name="netnsPath"/> (e.g. /run/netns/x).</summary>
    public static Task<T> RunAsync<T>(string netnsPath, Func<T> action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        cancellationToken.ThrowIfCancellationRequested();
        return RunOnDedicatedThread(() => InNamespace(netnsPath, action));
    }

    /// <summary>
    /// Synchronous form of <see cref="RunAsync{T}"/>: the caller joins the dedicated thread, so no
    /// thread-pool thread is involved (a one-shot CNI process never starts the pool for this).
    /// </summary>
    public static T Run<T>(string netnsPath, Func<T> action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        cancellationToken.ThrowIfCancellationRequested();
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = NewThread(() =>
        {
            try
            {
                result = InNamespace(netnsPath, action);
            }
            catch (Exception ex)
            {
                failure = ExceptionDispatchInfo.Capture(ex);
            }
        });
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    /// <summary>
    /// Runs <paramref name="create"/> (e.g. socket(2)) inside the namespace at <paramref name="netnsPath"/> on the calling
    /// thread, which returns to its own namespace at once: a socket stays in the namespace it was created in, so no
    /// thread is needed (starting one and waiting for it cost about 1 ms of every ADD). <paramref name="create"/> must
    /// neither block nor await. Should the return fail, the process ends (FailFast) rather than let the caller's thread
    /// work on in a pod's namespace.
    /// </summary>
    public static T CreateIn<T>(string netnsPath, Func<T> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        return InNamespace(netnsPath, create);
    }

    // The return is checked even on a thread that is discarded afterwards: one rule, and it never fails in practice
    // (the origin's descriptor is held open and the entry just succeeded with the same privilege).
    private static T InNamespace<T>(string netnsPath, Func<T> action)
    {
        using var target = OpenNamespace(netnsPath);
        using var origin = OpenNamespace(ThreadNetns);
        Enter(target, netnsPath);
        try
        {
            return action();
        }
        finally
        {
            if (NetnsNative.setns((int)origin.DangerousGetHandle(), NetnsNative.CLONE_NEWNET) != 0)
            {
                Environment.FailFast($"cannot return to this thread's own network namespace after working in {netnsPath} " +
                    $"(setns: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()})");
            }
        }
    }

    /// <summary>Runs work on a new OS thread that ends afterwards, completing the task with its outcome.</summary>
    internal static Task<T> RunOnDedicatedThread<T>(Func<T> work)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = NewThread(() =>
        {
            try
            {
                completion.SetResult(work());
            }
            catch (Exception ex)
            {
                completion.SetException(ex);
            }
        });
        thread.Start();
        return completion.Task;
    }

    private static Thread NewThread(ThreadStart work) => new(work) { IsBackground = true, Name = "plexus-netns" };

    private static SafeFileHandle OpenNamespace(string path)
    {
        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read);
        }
        // The published executables keep only resource keys as framework messages ("IO_FileNotFound_FileName, …").
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new IOException($"cannot open network namespace {path}: it does not exist (a sandbox already torn down?)", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot open network namespace {path}: {ex.Message}", ex);
        }
    }

    private static void Enter(SafeFileHandle ns, string path)
    {
        if (NetnsNative.setns((int)ns.DangerousGetHandle(), NetnsNative.CLONE_NEWNET) != 0)
        {
            throw NetnsNative.Error($"entering network namespace {path} (setns) failed");
        }
    }
}
