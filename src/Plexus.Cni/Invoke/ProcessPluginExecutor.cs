using System.ComponentModel;
using System.Diagnostics;

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
        using var deadline = new CancellationTokenSource(_options.Timeout, _options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var finished = false;
        // Killing the tree on timeout also ends the reads: the pipes close when the last writer dies.
        using (linked.Token.Register(static p => KillTree((Process)p!), process))
        {
            try
            {
                var reading = Task.WhenAll(
                    process.StandardOutput.BaseStream.CopyToAsync(stdout, linked.Token),
                    process.StandardError.BaseStream.CopyToAsync(stderr, linked.Token));
                await WriteStdinAsync(process, invocation.Stdin, linked.Token).ConfigureAwait(false);
                await reading.ConfigureAwait(false);
                await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
                finished = true;
            }
            catch (OperationCanceledException) when (linked.IsCancellationRequested)
            {
            }
        }
        if (!finished)
        {
            KillTree(process);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            throw new CniException(CniErrorCode.IoFailure,
                $"{invocation.Describe()} did not finish {invocation.Command} within {_options.Timeout.TotalSeconds:0.###}s and was killed",
                $"{invocation.PluginPath}; stderr: {PluginFailure.Text(stderr.ToArray())}");
        }
        if (process.ExitCode != 0)
        {
            throw PluginFailure.FromExit(invocation, process.ExitCode, stdout.ToArray(), stderr.ToArray());
        }
        return stdout.ToArray();
    }

    private async Task<Process> StartAsync(PluginInvocation invocation, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(invocation.PluginPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        PluginEnvironment.Apply(info.Environment, invocation);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return _options.StartProcess(info);
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

    private static async Task WriteStdinAsync(Process process, ReadOnlyMemory<byte> stdin, CancellationToken cancellationToken)
    {
        try
        {
            await process.StandardInput.BaseStream.WriteAsync(stdin, cancellationToken).ConfigureAwait(false);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The plugin exited or closed stdin without reading it all; its exit status tells what happened.
        }
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }
}
