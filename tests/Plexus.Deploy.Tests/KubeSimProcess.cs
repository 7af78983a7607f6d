using System.Diagnostics;

namespace Plexus.Deploy.Tests;

/// <summary>
/// A private API simulator (artifacts/bin/kube-sim) and the real kubectl pointed at it. Each
/// instance has its own port, token and kubeconfig in a temp dir; disposing kills the simulator
/// and removes the dir.
/// </summary>
internal sealed class KubeSimProcess : IAsyncDisposable
{
    public const string Kubectl = "/usr/bin/kubectl";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly string _dir;

    private KubeSimProcess(Process process, string dir)
    {
        _process = process;
        _dir = dir;
    }

    public static string Binary => Path.Combine(RepoLayout.Bin, "kube-sim");

    public string Kubeconfig => Path.Combine(_dir, "kubeconfig");

    /// <summary>The simulator's own process: the launcher execs it.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Why this machine cannot run the simulator checks, or null when it can.</summary>
    public static string? MissingPrerequisite() =>
        !File.Exists(Binary) ? $"{Binary} is not built (make publish builds it)"
        : !File.Exists(Kubectl) ? $"{Kubectl} is not installed (make deps installs it)"
        : null;

    public static async Task<KubeSimProcess> StartAsync(CancellationToken cancellationToken)
    {
        var dir = Directory.CreateTempSubdirectory("plexus-deploy-tests.").FullName;
        var info = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--port", "0", "--kubeconfig-out", Path.Combine(dir, "kubeconfig") })
        {
            info.ArgumentList.Add(arg);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {Binary}");
        var sim = new KubeSimProcess(process, dir);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(StartTimeout);
        try
        {
            // The first stdout line (the URL) comes once it listens and has written the kubeconfig.
            var url = await process.StandardOutput.ReadLineAsync(deadline.Token);
            if (url is null || !File.Exists(sim.Kubeconfig))
            {
                throw new InvalidOperationException($"kube-sim exited before listening: {await process.StandardError.ReadToEndAsync(cancellationToken)}");
            }
        }
        catch
        {
            await sim.DisposeAsync();
            throw;
        }
        return sim;
    }

    // kubectl's discovery cache is this simulator's own: the default one ($HOME/.kube/cache) is keyed by host and port,
    // and it is shared with other test processes and kept for hours, so a simulator given a port an earlier one had
    // (another run's, another process's) could be answered from that one's discovery.
    public Task<ProcessOutcome> KubectlAsync(CancellationToken cancellationToken, params string[] args) =>
        ProcessRunner.RunAsync(Kubectl, ["--kubeconfig", Kubeconfig, "--cache-dir", Path.Combine(_dir, "kubectl-cache"), .. args],
            TimeSpan.FromSeconds(60), cancellationToken);

    /// <summary>kubectl that must succeed; the failure message carries its output.</summary>
    public async Task<string> KubectlOkAsync(CancellationToken cancellationToken, params string[] args)
    {
        var outcome = await KubectlAsync(cancellationToken, args);
        Assert.True(outcome.ExitCode == 0, $"kubectl {string.Join(' ', args)} failed: {outcome}");
        return outcome.Stdout;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
