using System.Diagnostics;

namespace Plexus.Bench;

/// <summary>
/// The throwaway node the ADD/DEL rows run on: bench/run.sh starts this process inside a node
/// network namespace (bridges, macvlan uplink and routes live there), and each sample gets a
/// fresh pod namespace beside it, created and removed outside the timed part.
/// </summary>
internal sealed class BenchNode : IDisposable
{
    private int _podCounter;

    public BenchNode(string workDir)
    {
        WorkDir = workDir;
        Directory.CreateDirectory(IpamDir);
        Directory.CreateDirectory(CacheDir);
    }

    public string WorkDir { get; }

    public string IpamDir => Path.Combine(WorkDir, "ipam");

    public string CacheDir => Path.Combine(WorkDir, "cache");

    /// <summary>The macvlan uplink inside the node namespace (created by bench/run.sh).</summary>
    public static string Uplink => Environment.GetEnvironmentVariable("PLEXUS_BENCH_UPLINK") ?? "uplink0";

    public static bool InsideNodeNamespace => Environment.GetEnvironmentVariable("PLEXUS_BENCH_NODE") is { Length: > 0 };

    /// <summary>Runs <paramref name="timed"/> with a fresh pod namespace path and container id.</summary>
    public Sample WithPod(Func<string, string, Sample> timed)
    {
        var id = $"bench{Environment.ProcessId}x{Interlocked.Increment(ref _podCounter)}";
        var name = "plx-bench-" + id;
        Ip("netns", "add", name);
        try
        {
            return timed($"/run/netns/{name}", id);
        }
        finally
        {
            Ip("netns", "del", name);
        }
    }

    public void Dispose() => Directory.Delete(WorkDir, recursive: true);

    private static void Ip(params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo("ip", args) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', args)} failed: {error}");
        }
    }
}
