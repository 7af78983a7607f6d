using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Plexus.Deploy.Tests;

/// <summary>
/// The thin DaemonSet's containers, run for real with the published `plexus` and their exact
/// args, against a stand-in node filesystem laid out by their hostPath mounts.
/// </summary>
public sealed class AgentArgsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static readonly PodTemplate Thin = new(Manifests.Load("thin/daemonset.yaml").Get("DaemonSet", "plexus"));

    private static string Plexus => Path.Combine(RepoLayout.Bin, "plexus");

    [SkippableTheory]
    [InlineData("thin/daemonset.yaml", "plexus", "plexus")]
    [InlineData("thick/daemonset.yaml", "plexusd", "plexus-shim")]
    public async Task InstallContainer_ItsArgs_InstallTheCniExecutableIntoTheNodesBinDir(string file, string daemonSet, string executable)
    {
        var built = Path.Combine(RepoLayout.Bin, executable);
        Skip.IfNot(File.Exists(Plexus) && File.Exists(built), $"{Plexus} or {built} is not built (make publish builds them)");
        var pod = new PodTemplate(Manifests.Load(file).Get("DaemonSet", daemonSet));
        var install = pod.InitContainers.Single();
        using var node = new NodeRoot(pod, install);
        // Paths inside the image (/usr/local/bin, see deploy/Dockerfile) are the published binaries here.
        var args = node.Remap(PodTemplate.CommandLine(install).Skip(1)).Select(a => a.Replace("=/usr/local/bin/", "=" + RepoLayout.Bin + "/"));

        var outcome = await ProcessRunner.RunAsync(Plexus, args, Timeout);

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var installed = node.OnNode("/opt/cni/bin/" + executable);
        Assert.Equal(await File.ReadAllBytesAsync(built), await File.ReadAllBytesAsync(installed));
        Assert.True(File.GetUnixFileMode(installed).HasFlag(UnixFileMode.UserExecute));
        Assert.Equal([executable], Directory.GetFiles(node.OnNode("/opt/cni/bin")).Select(Path.GetFileName));
    }

    [SkippableFact]
    public async Task AgentContainer_ItsArgs_WriteAConfigWhosePathsAreHostPaths()
    {
        Skip.IfNot(File.Exists(Plexus), $"{Plexus} is not built (make publish builds it)");
        var agent = Thin.Container("agent");
        using var node = new NodeRoot(Thin, agent);
        WritePrimary(node);
        var args = node.Remap(PodTemplate.CommandLine(agent).Skip(1));

        var stderr = new System.Text.StringBuilder();
        using var watch = Start(args, stderr);
        try
        {
            var generated = node.OnNode("/etc/cni/net.d/00-plexus.conflist");
            await WaitForAsync(() => File.Exists(generated), watch, () => $"the agent to write {generated}; its stderr:\n{stderr}");
            var plugin = JsonNode.Parse(await File.ReadAllTextAsync(generated))!["plugins"]![0]!;

            Assert.Equal("plexus", Manifests.Str(plugin, "type"));
            Assert.Equal("kindnet", Manifests.Str(plugin["delegates"]![0], "name"));
            // The runtime on the node reads these paths: they must be host paths, not the container's /host/... view.
            Assert.Equal("/etc/cni/net.d/plexus.d/plexus.kubeconfig", Manifests.Str(plugin, "kubeconfig"));
            Assert.Equal(node.HostPathOf("/host/etc/cni/net.d/plexus.d/plexus.kubeconfig"), Manifests.Str(plugin, "kubeconfig"));
            Assert.Equal(node.HostPathOf("/host/opt/cni/bin"), Manifests.Str(plugin, "binDir"));

            // No --cleanup-config-on-exit: a restarting or rolled-out agent leaves the config in place, so pods created
            // meanwhile still get their secondary networks and their DELs still reach Plexus.
            // SIGTERM, the way the kubelet stops a container (Process.Kill only sends SIGKILL).
            Assert.Equal(0, (await ProcessRunner.RunAsync("kill", ["-TERM", watch.Id.ToString()], Timeout)).ExitCode);
            await watch.WaitForExitAsync(new CancellationTokenSource(Timeout).Token);
            Assert.Equal(0, watch.ExitCode);
            Assert.True(File.Exists(generated), "the agent removed its config on SIGTERM: new pods would lose their networks during a restart");
        }
        finally
        {
            // Disposing a Process leaves the child running: a failed assertion must not leave the agent behind.
            if (!watch.HasExited)
            {
                watch.Kill(entireProcessTree: true);
            }
            watch.WaitForExit();
        }
    }

    private static void WritePrimary(NodeRoot node) =>
        File.WriteAllText(node.OnNode("/etc/cni/net.d/10-kindnet.conflist"), """
            {"cniVersion": "1.0.0", "name": "kindnet", "plugins": [
              {"type": "ptp", "ipam": {"type": "host-local", "ranges": [[{"subnet": "10.244.0.0/24"}]]}},
              {"type": "portmap", "capabilities": {"portMappings": true}}]}
            """);

    private static Process Start(IEnumerable<string> args, System.Text.StringBuilder stderr)
    {
        var info = new ProcessStartInfo(Plexus) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        var process = Process.Start(info)!;
        process.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return process;
    }

    private static async Task WaitForAsync(Func<bool> condition, Process process, Func<string> what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (process.HasExited || deadline.Elapsed > Timeout)
            {
                var exited = process.HasExited;
                if (!exited)
                {
                    process.Kill();
                }
                process.WaitForExit(); // drains the async stderr reader
                Assert.Fail($"timed out waiting for {what()}(agent had exited by itself: {exited})");
            }
            await Task.Delay(20);
        }
    }
}
