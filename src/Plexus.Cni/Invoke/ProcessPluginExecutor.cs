using System.Collections;
using System.ComponentModel;

namespace Plexus.Cni.Invoke;

/// <summary>Runs plugins as child processes: CNI_* env, config on stdin, stdout/stderr captured, bounded by a timeout.</summary>
public sealed class ProcessPluginExecutor(ProcessPluginExecutorOptions? options = null) : IPluginExecutor
{
    private const int ETXTBSY = 26;
    private readonly ProcessPluginExecutorOptions _options = options ?? new();

    public string Locate(string type, IReadOnlyList<string> binDirs) => PluginLocator.Find(type, binDirs);

    public async Task<byte[]> ExecuteAsync(PluginInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        using var process = await StartAsync(invocation, cancellationToken).ConfigureAwait(false);
        return _options.WaitOnCallingThread
            ? Communicate(process, invocation, cancellationToken)
            : await Task.Factory.StartNew(() => Communicate(process, invocation, cancellationToken),
                CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
    }

    private byte[] Communicate(PluginProcess process, PluginInvocation invocation, CancellationToken cancellationToken)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        if (!process.Finish(invocation.Stdin.Span, _options.Timeout, stdout, stderr, out var exitCode, cancellationToken))
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new CniException(CniErrorCode.IoFailure,
                $"{invocation.Describe()} did not finish {invocation.Command} within {_options.Timeout.TotalSeconds:0.###}s and was killed",
                $"{invocation.PluginPath}; stderr: {PluginFailure.Text(stderr.ToArray())}");
        }
        if (exitCode != 0)
        {
            throw PluginFailure.FromExit(invocation, exitCode, stdout.ToArray(), stderr.ToArray());
        }
        return stdout.ToArray();
    }

    private async Task<PluginProcess> StartAsync(PluginInvocation invocation, CancellationToken cancellationToken)
    {
        var environment = Environment(invocation);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                PluginProcess? started = null;
                _options.StartProcess(() => started = PluginProcess.Start(invocation.PluginPath, environment));
                return started ?? throw new InvalidOperationException("ProcessPluginExecutorOptions.StartProcess did not run the start it was given");
            }
            catch (Win32Exception ex) when (ex.NativeErrorCode == ETXTBSY && attempt < _options.TextFileBusyRetries)
            {
                await Task.Delay(_options.TextFileBusyDelay, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (Win32Exception ex)
            {
                throw CniException.Io(
                    $"{invocation.Describe()} could not be started for {invocation.Command}: {ex.Message}",
                    ex.NativeErrorCode == ETXTBSY ? $"{invocation.PluginPath} was still busy after {attempt + 1} attempts" : invocation.PluginPath,
                    ex);
            }
        }
    }

    /// <summary>This process's environment with the invocation's CNI_* variables in place of inherited ones.</summary>
    private static Dictionary<string, string> Environment(PluginInvocation invocation)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            environment[(string)entry.Key] = entry.Value as string;
        }
        PluginEnvironment.Apply(environment, invocation);
        return environment.Where(pair => pair.Value is not null).ToDictionary(pair => pair.Key, pair => pair.Value!, StringComparer.Ordinal);
    }
}
