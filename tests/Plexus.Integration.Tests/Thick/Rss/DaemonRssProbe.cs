using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Plexus.KubeSim;
using Plexus.Testing;

namespace Plexus.Integration.Tests.Thick.Rss;

/// <summary>
/// Measures the published plexusd's memory after its caches sync: seeds the API simulator with
/// <see cref="RssScenario.PodsOnNode"/> pods on the node (plus as many elsewhere, which the field selector
/// must keep out) and <see cref="RssScenario.Nads"/> NADs, starts <c>artifacts/bin/plexusd</c> against it,
/// waits for <c>/readyz</c> and for both caches to hold everything, lets it settle, then reads VmRSS and
/// VmHWM from <c>/proc</c>. Reusable outside the tests (bench): <see cref="MeasureAsync"/> is all there is.
/// </summary>
public static partial class DaemonRssProbe
{
    private const string NodeName = "rss-node";
    private static readonly TimeSpan SyncTimeout = TimeSpan.FromMinutes(3);

    public static async Task<RssMeasurement> MeasureAsync(RssScenario scenario, string plexusdPath, CancellationToken cancellationToken)
    {
        var root = Directory.CreateTempSubdirectory("plexusd-rss-").FullName;
        try
        {
            await using var sim = await KubeSimServer.StartAsync(cancellationToken: cancellationToken);
            Seed(sim, scenario);
            var socketDir = Path.Combine(root, "run");
            var metricsPort = FreePort();
            var config = Path.Combine(root, "daemon-config.json");
            await File.WriteAllTextAsync(config, $$"""
                {"socketDir":"{{socketDir}}","kubeconfig":"{{sim.WriteKubeconfig(Path.Combine(root, "kubeconfig"))}}",
                 "nodeName":"{{NodeName}}","metricsAddress":"127.0.0.1:{{metricsPort}}","logLevel":"error"}
                """, cancellationToken);
            var started = Stopwatch.StartNew();
            using var daemon = StartDaemon(plexusdPath, config);
            try
            {
                await WaitForSyncAsync(daemon, Path.Combine(socketDir, "plexus.sock"), metricsPort, scenario, cancellationToken);
                var synced = started.Elapsed;
                // Let the list buffers become garbage and the runtime settle, as a node would see it a moment later.
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
                return ReadMemory(daemon.Id, scenario, synced);
            }
            finally
            {
                await StopAsync(daemon);
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Pods spread over namespaces with a networks annotation each; NADs with a realistic macvlan config.</summary>
    private static void Seed(KubeSimServer sim, RssScenario scenario)
    {
        sim.CreateNode(NodeName);
        sim.InstallNetworkAttachmentDefinitionCrd();
        var namespaces = Enumerable.Range(0, 20).Select(i => $"team-{i:00}").ToArray();
        foreach (var ns in namespaces)
        {
            sim.CreateNamespace(ns);
        }
        for (var i = 0; i < scenario.Nads; i++)
        {
            sim.CreateNetworkAttachmentDefinition(namespaces[i % namespaces.Length], $"net-{i}", $$$"""
                {"cniVersion":"1.0.0","name":"net-{{{i}}}","type":"macvlan","master":"eth1","mode":"bridge",
                 "ipam":{"type":"host-local","subnet":"10.{{{i / 256 % 256}}}.{{{i % 256}}}.0/24","routes":[{"dst":"0.0.0.0/0"}]}}
                """);
        }
        foreach (var (count, node) in new[] { (scenario.PodsOnNode, NodeName), (scenario.PodsOnNode, "other-node") })
        {
            for (var i = 0; i < count; i++)
            {
                sim.CreatePod(namespaces[i % namespaces.Length], $"{node}-pod-{i}", node, new Dictionary<string, string>
                {
                    ["k8s.v1.cni.cncf.io/networks"] = $"net-{i % Math.Max(1, scenario.Nads)}",
                    ["kubectl.kubernetes.io/restartedAt"] = "2026-11-26T12:00:00Z",
                });
            }
        }
    }

    private static Process StartDaemon(string plexusdPath, string config)
    {
        var start = new ProcessStartInfo(plexusdPath, "--config=" + config)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment.Remove("NODE_NAME");
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitForSyncAsync(Process daemon, string socketPath, int metricsPort, RssScenario scenario, CancellationToken cancellationToken)
    {
        using var unix = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        })
        { BaseAddress = new Uri("http://plexusd"), Timeout = TimeSpan.FromSeconds(5) };
        using var metrics = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        var ready = false;
        while (deadline.Elapsed < SyncTimeout)
        {
            if (daemon.HasExited)
            {
                throw new InvalidOperationException($"plexusd exited with {daemon.ExitCode} before its caches synced");
            }
            try
            {
                ready = ready || (await unix.GetAsync("/readyz", cancellationToken)).StatusCode == HttpStatusCode.OK;
                if (ready)
                {
                    var text = await metrics.GetStringAsync($"http://127.0.0.1:{metricsPort}/metrics", cancellationToken);
                    if (CacheSize(text, "pods") == scenario.PodsOnNode && CacheSize(text, "network-attachment-definitions") == scenario.Nads)
                    {
                        return;
                    }
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // No answer within the 5 s of one probe: plexusd is busy loading its caches, or the machine is. Only the
                // sync deadline above ends the wait.
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
        throw new TimeoutException($"plexusd did not sync {scenario} within {SyncTimeout}");
    }

    private static long? CacheSize(string metrics, string cache) =>
        CacheObjects().Matches(metrics).FirstOrDefault(m => m.Groups["cache"].Value == cache) is { } match
            ? (long)double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture)
            : null;

    private static RssMeasurement ReadMemory(int pid, RssScenario scenario, TimeSpan synced)
    {
        var status = File.ReadAllLines($"/proc/{pid}/status");
        long Field(string name) => long.Parse(status.Single(l => l.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..]
            .Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
        return new RssMeasurement(scenario, Field("VmRSS"), Field("VmHWM"), Field("RssAnon"), Field("RssFile"), synced);
    }

    private static async Task StopAsync(Process daemon)
    {
        if (daemon.HasExited)
        {
            return;
        }
        // SIGTERM, the way the kubelet stops it (Process.Kill only sends SIGKILL).
        using (var kill = Process.Start("kill", ["-TERM", daemon.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await daemon.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            daemon.Kill();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex("""^plexus_cache_objects\{cache="(?<cache>[^"]+)"\} (?<value>\S+)$""", RegexOptions.Multiline)]
    private static partial Regex CacheObjects();
}
