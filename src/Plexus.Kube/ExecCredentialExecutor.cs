using System.ComponentModel;
using Plexus.Cni.Invoke;
using static Plexus.Kube.ExecPluginCommand;

namespace Plexus.Kube;

/// <summary>
/// Runs a kubeconfig's exec credential plugin (<c>users[].user.exec</c>) here rather than in the client library:
/// the library pastes the plugin's stdout or stderr into its errors (where a token often is), ignores the exit code
/// and waits 5 ms for the exit. Failures name the plugin and what went wrong, never what it printed.
/// </summary>
internal static class ExecCredentialExecutor
{
    /// <summary>
    /// A plugin that has not exited and closed its output by then is killed with its process group (client-go has no
    /// limit; a CNI ADD cannot wait forever, nor for a background child the plugin left holding its stdout).
    /// </summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private const string Unshown = "what it printed is not shown: it may hold credentials";

    public static ExecCredential Run(ExecPluginConfig config, CancellationToken cancellationToken) =>
        Run(config, Timeout, cancellationToken);

    internal static ExecCredential Run(ExecPluginConfig config, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var (exec, kubeconfigPath) = (config.Exec, config.KubeconfigPath);
        var command = ExecPluginCommand.From(config);
        ChildProcessOutput? output;
        try
        {
            output = ChildProcess.Run(command.Path, command.Arguments, command.Environment, timeout, cancellationToken);
        }
        // No such file, not executable, not a binary the kernel can load; no descriptor left for its pipes.
        catch (Exception e) when (e is Win32Exception or IOException)
        {
            throw Failed(kubeconfigPath, $"its exec credential plugin {command.Path} cannot be started: {e.Message}");
        }
        if (output is null)
        {
            throw Failed(kubeconfigPath, $"its exec credential plugin {command.Path} did not finish within {timeout.TotalSeconds:0.#} s and was killed");
        }
        if (output.ExitCode != 0)
        {
            throw Failed(kubeconfigPath, $"its exec credential plugin {command.Path} failed with exit code {output.ExitCode} ({Unshown})");
        }
        return ExecCredential.Parse(output.Stdout, exec.ApiVersion)
            ?? throw Failed(kubeconfigPath, $"its exec credential plugin {command.Path} printed something that is not an ExecCredential of {exec.ApiVersion} with a token or a client certificate and key ({Unshown})");
    }
}
