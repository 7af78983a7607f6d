using System.ComponentModel;
using System.Diagnostics;
using k8s.KubeConfigModels;
using Plexus.Cni;

namespace Plexus.Kube;

/// <summary>
/// Runs a kubeconfig's exec credential plugin (<c>users[].user.exec</c>) here rather than in the client library:
/// the library pastes the plugin's stdout or stderr into its errors (where a token often is), ignores the exit code
/// and waits 5 ms for the exit. Failures name the plugin and what went wrong, never what it printed.
/// </summary>
internal static class ExecCredentialExecutor
{
    /// <summary>A plugin that has not answered by then is killed (client-go has no limit; a CNI ADD cannot wait forever).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private const string Unshown = "what it printed is not shown: it may hold credentials";

    /// <summary>Runs the plugin; relative commands with a slash are relative to the kubeconfig's directory, as in client-go.</summary>
    public static ExecCredential Run(ExternalExecution exec, string kubeconfigPath, CancellationToken cancellationToken) =>
        Run(exec, kubeconfigPath, Timeout, cancellationToken);

    internal static ExecCredential Run(ExternalExecution exec, string kubeconfigPath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(exec.Command) || string.IsNullOrWhiteSpace(exec.ApiVersion))
        {
            throw Failed(kubeconfigPath, "its exec credential plugin needs both \"command\" and \"apiVersion\"");
        }
        var command = exec.Command;
        using var process = new Process();
        try
        {
            if (command.Contains('/', StringComparison.Ordinal))
            {
                command = Path.GetFullPath(command, Path.GetDirectoryName(Path.GetFullPath(kubeconfigPath))!);
            }
            process.StartInfo = StartInfo(exec, command, kubeconfigPath);
            process.Start();
        }
        // Win32Exception: no such file, not executable; ArgumentException: a NUL or '=' where the OS allows none.
        catch (Exception e) when (e is Win32Exception or ArgumentException)
        {
            throw Failed(kubeconfigPath, $"its exec credential plugin {command} cannot be started: {e.Message}");
        }
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        // Read so the plugin never blocks on a full pipe, then dropped: plugins echo tokens in their diagnostics.
        _ = process.StandardError.ReadToEndAsync(cancellationToken);
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            // Reaped before the error goes out: a long-lived plexusd must not collect zombies.
            process.WaitForExit();
            throw Failed(kubeconfigPath, $"its exec credential plugin {command} did not finish within {timeout.TotalSeconds:0.#} s");
        }
        cancellationToken.ThrowIfCancellationRequested();
        if (process.ExitCode != 0)
        {
            throw Failed(kubeconfigPath, $"its exec credential plugin {command} failed with exit code {process.ExitCode} ({Unshown})");
        }
        return ExecCredential.Parse(stdout.GetAwaiter().GetResult(), exec.ApiVersion)
            ?? throw Failed(kubeconfigPath, $"its exec credential plugin {command} printed something that is not an ExecCredential of {exec.ApiVersion} with a token or a client certificate and key ({Unshown})");
    }

    private static ProcessStartInfo StartInfo(ExternalExecution exec, string command, string kubeconfigPath)
    {
        var start = new ProcessStartInfo(command)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in exec.Arguments ?? [])
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var variable in exec.EnvironmentVariables ?? [])
        {
            if (!variable.TryGetValue("name", out var name) || !variable.TryGetValue("value", out var value))
            {
                throw Failed(kubeconfigPath, "each item of its exec credential plugin's \"env\" needs \"name\" and \"value\"");
            }
            start.Environment[name] = value;
        }
        start.Environment["KUBERNETES_EXEC_INFO"] =
            $$$"""{"apiVersion":"{{{System.Text.Json.JsonEncodedText.Encode(exec.ApiVersion)}}}","kind":"ExecCredential","spec":{"interactive":false}}""";
        return start;
    }

    private static CniException Failed(string kubeconfigPath, string what) => new(CniErrorCode.InvalidNetworkConfig,
        $"cannot load kubeconfig {kubeconfigPath}: {what}",
        "run the plugin by hand as the node's root to see its output, or fix users[].user.exec in the kubeconfig");
}
