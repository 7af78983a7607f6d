namespace Plexus.Cni.Invoke;

/// <summary>How a <see cref="ChildProcess"/> run ended: its exit code (128 + the signal that ended it), stdout and stderr.</summary>
public sealed record ChildProcessOutput(int ExitCode, byte[] Stdout, byte[] Stderr);

/// <summary>
/// Runs a helper executable that is not a CNI plugin (a kubeconfig's exec credential plugin, iproute2's ip) exactly as
/// plugins are run (<see cref="PluginProcess"/>): its own process group, empty stdin, one limit for its exit and the end
/// of its output, and the calling thread's network namespace.
/// </summary>
public static class ChildProcess
{
    /// <summary>
    /// Runs <paramref name="path"/> to the end. Null when it has not exited and closed its output within <paramref name="timeout"/>: its process group is then
    /// killed and it is reaped. A <see cref="System.ComponentModel.Win32Exception"/> when it cannot be started.
    /// </summary>
    public static ChildProcessOutput? Run(string path, IReadOnlyList<string> arguments, IEnumerable<KeyValuePair<string, string>> environment,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        using var process = PluginProcess.Start(path, environment, arguments);
        if (process.Finish([], timeout, stdout, stderr, out var exitCode, cancellationToken))
        {
            return new ChildProcessOutput(exitCode, stdout.ToArray(), stderr.ToArray());
        }
        cancellationToken.ThrowIfCancellationRequested();
        return null;
    }
}
