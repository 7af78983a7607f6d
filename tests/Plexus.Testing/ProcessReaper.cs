using System.Diagnostics;

namespace Plexus.Testing;

/// <summary>
/// Ends a long-running child process (and what it started) when the test ends, passed or failed: disposing a
/// <see cref="Process"/> only releases its handle and leaves the child running.
/// </summary>
public sealed class ProcessReaper(Process process) : IDisposable
{
    public void Dispose() => KillIfRunning(process);

    public static void KillIfRunning(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            process.WaitForExit();
        }
        catch (InvalidOperationException)
        {
            // Never started, or its handle was already disposed: nothing of it is left to stop here.
        }
    }
}
