using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Plexus.NodeAgent.Tests.Generation;
using Plexus.Testing;

namespace Plexus.NodeAgent.Tests.Watch;

/// <summary>
/// Two real <c>plexus config watch</c> processes on one conf dir whose settings differ (the second adds
/// <c>--log-level debug</c>), as in a DaemonSet rollout: they used to rewrite each other's config hundreds of times a
/// second and delete each other's temp files. The second waits, naming the first, and takes over when it stops.
/// </summary>
public sealed class TwoAgentProcessesTests
{
    [SkippableFact]
    public void Watch_SecondProcessWithOtherSettings_WaitsNamingTheFirstThenTakesOverOnSigterm()
    {
        var plexus = PlexusBinary.Find();
        Skip.If(plexus is null, "no plexus binary: run `make publish` (artifacts/bin/plexus) or build apps/plexus first");
        using var temp = new TempDir();
        var confDir = temp.Sub("net.d");
        Scenarios.CopyTo("flannel", confDir);
        var config = Path.Combine(confDir, "00-plexus.conflist");

        using var first = Agent(plexus!, confDir, temp.Path, "b1");
        using var firstReaper = new ProcessReaper(first.Process);
        Eventually.True(() => File.Exists(config), "the first agent wrote the config");
        var written = File.ReadAllBytes(config);
        using var second = Agent(plexus!, confDir, temp.Path, "b2", "--log-level", "debug");
        using var secondReaper = new ProcessReaper(second.Process);

        Eventually.True(() => second.Stderr.Contains($"held by plexus pid {first.Process.Id} "), "the second agent names the first");
        Assert.Equal(written, File.ReadAllBytes(config));
        Assert.DoesNotContain("wrote", second.Stderr, StringComparison.Ordinal);

        Terminate(first.Process);
        Eventually.True(() => LogLevel(config) == "debug", "the second agent took over");
        Terminate(second.Process);
        Assert.Equal(0, second.Process.ExitCode);
        Assert.DoesNotContain("cannot rename", first.Stderr + second.Stderr, StringComparison.Ordinal);
    }

    private static RunningAgent Agent(string plexus, string confDir, string tempDir, string backups, params string[] extra)
    {
        var process = Process.Start(new ProcessStartInfo(plexus,
            ["config", "watch", "--conf-dir", confDir, "--backup-dir", Path.Combine(tempDir, backups), "--service-account-dir", tempDir, .. extra])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var agent = new RunningAgent(process);
        process.ErrorDataReceived += (_, e) => agent.Lines.Enqueue(e.Data ?? "");
        process.BeginErrorReadLine();
        return agent;
    }

    // Stopped the way a DaemonSet stops it, so it releases the lock itself.
    private static void Terminate(Process process)
    {
        Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
        Assert.True(process.WaitForExit(30_000), "the agent did not stop on SIGTERM");
    }

    private static string? LogLevel(string config)
    {
        try
        {
            return (string?)JsonNode.Parse(File.ReadAllBytes(config))!["plugins"]![0]!["logLevel"];
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    private sealed record RunningAgent(Process Process) : IDisposable
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public string Stderr => string.Join('\n', Lines);

        public void Dispose() => Process.Dispose();
    }
}
