namespace Plexus.Bench.Infrastructure;

/// <summary>
/// The throwaway node the ADD/DEL rows run on: bench/run.sh starts this process inside a node
/// network namespace (bridges, macvlan uplink and routes live there), and pods get their own
/// namespaces beside it, created and removed outside the timed part.
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

    /// <summary>host-local's dataDir for every row (never the host's /var/lib/cni).</summary>
    public string IpamDir => Path.Combine(WorkDir, "ipam");

    public string CacheDir => Path.Combine(WorkDir, "cache");

    /// <summary>The macvlan uplink inside the node namespace (created by bench/run.sh).</summary>
    public static string Uplink => Environment.GetEnvironmentVariable("PLEXUS_BENCH_UPLINK") ?? "uplink0";

    public static bool InsideNodeNamespace => Environment.GetEnvironmentVariable("PLEXUS_BENCH_NODE") is { Length: > 0 };

    /// <summary>A container id no other sample of this run uses.</summary>
    public string NextContainerId() => $"bench{Environment.ProcessId}x{Interlocked.Increment(ref _podCounter)}";

    /// <summary>Runs <paramref name="timed"/> with a fresh pod namespace path and container id.</summary>
    public Sample WithPod(Func<string, string, Sample> timed)
    {
        using var pod = PodNamespace.Create();
        return timed(pod.Path, NextContainerId());
    }

    public void Dispose() => Directory.Delete(WorkDir, recursive: true);
}

/// <summary>A pod network namespace under /run/netns, deleted on dispose (its interfaces go with it).</summary>
internal sealed class PodNamespace : IDisposable
{
    private readonly string _name;

    private PodNamespace(string name) => _name = name;

    public string Path => $"/run/netns/{_name}";

    public static PodNamespace Create()
    {
        // bench/run.sh removes every plx-bench-<run>-* namespace on exit, even if this process was killed.
        var run = Environment.GetEnvironmentVariable("PLEXUS_BENCH_RUN") ?? Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var name = $"plx-bench-{run}-{Guid.NewGuid().ToString("N")[..8]}";
        Ip("netns", "add", name);
        return new PodNamespace(name);
    }

    public void Dispose() => Ip("netns", "del", _name);

    private static void Ip(params string[] args) => Tool.Run("ip", args);
}
