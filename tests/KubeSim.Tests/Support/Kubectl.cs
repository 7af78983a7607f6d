using System.Diagnostics;

namespace Plexus.KubeSim.Tests.Support;

/// <summary>
/// Runs the machine's real kubectl against a simulator of its own, with its own HOME so no discovery cache is shared;
/// disposing stops the simulator.
/// </summary>
internal sealed class Kubectl : IAsyncDisposable
{
    public const string Path = "/usr/bin/kubectl";
    private readonly string _home = Directory.CreateTempSubdirectory("kube-sim-kubectl-").FullName;

    private Kubectl(KubeSimServer sim)
    {
        Sim = sim;
        Kubeconfig = sim.WriteKubeconfig(System.IO.Path.Combine(_home, "kubeconfig"), referenceTokenFile: true);
    }

    /// <summary>Starts a simulator and points kubectl at it; skips the test where kubectl is not installed.</summary>
    public static async Task<Kubectl> StartWithSimulatorAsync(KubeSimOptions? options = null)
    {
        Skip.IfNot(File.Exists(Path), $"{Path} is not installed (make deps installs it); the kubectl tests need the real client");
        return new Kubectl(await KubeSimServer.StartAsync(options));
    }

    public KubeSimServer Sim { get; }

    public string Kubeconfig { get; }

    public string Home => _home;

    public string WriteFile(string name, string content)
    {
        var path = System.IO.Path.Combine(_home, name);
        File.WriteAllText(path, content);
        return path;
    }

    public Task<Result> RunAsync(params string[] args) => RunAsync(TimeSpan.FromSeconds(60), args);

    public async Task<Result> RunAsync(TimeSpan timeout, params string[] args)
    {
        using var process = Start(args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', args)} did not finish in {timeout}");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts kubectl for a long-running command (e.g. --watch); the caller reads and kills it.</summary>
    public Process Start(params string[] args)
    {
        var info = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["KUBECONFIG"] = Kubeconfig;
        info.Environment["HOME"] = _home;
        return Process.Start(info) ?? throw new InvalidOperationException("kubectl did not start");
    }

    public async ValueTask DisposeAsync()
    {
        Directory.Delete(_home, recursive: true);
        await Sim.DisposeAsync();
    }

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public Result Succeeded()
        {
            Assert.True(ExitCode == 0, $"kubectl exited {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}");
            return this;
        }
    }
}
