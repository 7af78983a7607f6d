using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace Plexus.Bench.Infrastructure;

/// <summary>
/// A published plexusd started as its own process (so its RSS is its own), with a config file in a
/// private dir, metrics on a free loopback port inside the node namespace, and SIGTERM on dispose.
/// </summary>
internal sealed partial class BenchDaemon : IAsyncDisposable
{
    private const int SIGTERM = 15;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);
    private readonly Process _process;
    private readonly HttpClient _http;
    private readonly string _dir;
    private readonly Queue<string> _lastLines = new();

    private BenchDaemon(Process process, string dir, int metricsPort, long startTimestamp)
    {
        _process = process;
        _dir = dir;
        StartTimestamp = startTimestamp;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{metricsPort}"), Timeout = TimeSpan.FromSeconds(5) };
        process.OutputDataReceived += (_, e) => Remember(e.Data);
        process.ErrorDataReceived += (_, e) => Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string SocketDir => Path.Combine(_dir, "run");

    public int Pid => _process.Id;

    /// <summary>Stopwatch timestamp taken just before the process was started.</summary>
    public long StartTimestamp { get; }

    /// <summary>Starts plexusd; with <paramref name="kubeconfig"/> it lists and watches NADs, with <paramref name="nodeName"/> also that node's pods.</summary>
    public static BenchDaemon Start(BenchPaths paths, string workDir, string? kubeconfig, string? nodeName, JsonObject? overrides = null)
    {
        var dir = Directory.CreateDirectory(Path.Combine(workDir, "plexusd-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        var port = FreeLoopbackPort();
        var config = new JsonObject
        {
            ["socketDir"] = Path.Combine(dir, "run"),
            ["metricsAddress"] = $"127.0.0.1:{port}",
            ["logLevel"] = "error",
            ["generateConfig"] = false,
        };
        if (kubeconfig is not null) config["kubeconfig"] = kubeconfig;
        if (nodeName is not null) config["nodeName"] = nodeName;
        foreach (var (key, value) in overrides ?? [])
        {
            config[key] = value?.DeepClone();
        }
        var configPath = Path.Combine(dir, "daemon-config.json");
        File.WriteAllText(configPath, config.ToJsonString());
        var start = new ProcessStartInfo(paths.Daemon, [$"--config={configPath}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Only what a DaemonSet container would have: no DOTNET_* knobs from the bench's own host.
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin";
        var timestamp = Stopwatch.GetTimestamp();
        return new BenchDaemon(Process.Start(start)!, dir, port, timestamp);
    }

    /// <summary>Waits until plexusd answers on its metrics port; returns the time since start.</summary>
    public Task<TimeSpan> WaitServingAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        WaitForAsync(metrics => true, "serving metrics", timeout, cancellationToken);

    /// <summary>Waits until both caches hold at least the given counts; returns the time since start.</summary>
    public Task<TimeSpan> WaitCachesAsync(int pods, int nads, TimeSpan timeout, CancellationToken cancellationToken) =>
        WaitForAsync(
            metrics => CacheCount(metrics, "pods") >= pods && CacheCount(metrics, "network-attachment-definitions") >= nads,
            $"caches holding {pods} pods and {nads} NADs", timeout, cancellationToken);

    public async Task<string> ScrapeAsync(CancellationToken cancellationToken) =>
        await _http.GetStringAsync("/metrics", cancellationToken);

    public ProcStatus Memory() => ProcStatus.Read(_process.Id);

    private static double CacheCount(string metrics, string cache) =>
        PrometheusText.Value(metrics, "plexus_cache_objects", ("cache", cache)) ?? -1;

    private async Task<TimeSpan> WaitForAsync(Func<string, bool> done, string what, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"plexusd exited with {_process.ExitCode} before {what}: {Log()}");
            }
            try
            {
                if (done(await ScrapeAsync(cancellationToken)))
                {
                    return Stopwatch.GetElapsedTime(StartTimestamp);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(PollInterval, cancellationToken);
        }
        throw new TimeoutException($"plexusd not {what} within {timeout.TotalSeconds} s: {Log()}");
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            if (_lastLines.Count > 20)
            {
                _lastLines.Dequeue();
            }
        }
    }

    /// <summary>Whether plexusd still runs, and its last output lines: for errors of the rows that use it.</summary>
    public string Describe() =>
        (_process.HasExited ? $"plexusd exited with {_process.ExitCode}" : "plexusd running") + ": " + Log();

    private string Log()
    {
        lock (_lastLines)
        {
            return _lastLines.Count == 0 ? "(no output)" : string.Join(" | ", _lastLines);
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _ = kill(_process.Id, SIGTERM);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
        _http.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
