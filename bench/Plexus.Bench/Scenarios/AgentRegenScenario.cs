using System.Diagnostics;
using System.Text.Json.Nodes;
using Plexus.Bench.Reporting;

namespace Plexus.Bench.Scenarios;

/// <summary>
/// Regeneration latency of <c>plexus config watch</c>: each round replaces the primary conflist
/// atomically (temp + rename, as CNI installers do) with a new marker value and times until the
/// marker is in Plexus's 00-plexus.conflist (polled every 1 ms; includes the agent's debounce).
/// </summary>
internal static class AgentRegenScenario
{
    public const int Changes = 100;
    private const int WarmupChanges = 10;
    private const string Output = "00-plexus.conflist";
    private static readonly TimeSpan RoundTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Gap = TimeSpan.FromMilliseconds(30);

    public static async Task<BenchRow> RunAsync(BenchPaths paths, string workDir, CancellationToken cancellationToken)
    {
        var dir = Directory.CreateDirectory(Path.Combine(workDir, "agent-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        var confDir = Directory.CreateDirectory(Path.Combine(dir, "net.d")).FullName;
        var primary = Path.Combine(confDir, "10-bench.conflist");
        var conflist = JsonNode.Parse("""
            {"cniVersion":"1.0.0","name":"bench-net","plugins":[
              {"type":"bridge","bridge":"cni0","isGateway":true,"ipMasq":true,"benchMarker":"start",
               "ipam":{"type":"host-local","ranges":[[{"subnet":"10.88.0.0/16"}]]}},
              {"type":"portmap","capabilities":{"portMappings":true}}]}
            """)!;
        Replace(primary, conflist);
        var start = new ProcessStartInfo(paths.Plexus, ["config", "watch", "--conf-dir", confDir, "--backup-dir", Path.Combine(dir, "backups")])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var agent = Process.Start(start)!;
        var stderr = agent.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await WaitForAsync(confDir, "\"start\"", agent, stderr, cancellationToken);
            var latencies = new List<double>();
            for (var i = 0; i < Changes + WarmupChanges; i++)
            {
                var marker = $"round-{i}-{Guid.NewGuid():N}";
                conflist["plugins"]![0]!["benchMarker"] = marker;
                var began = Stopwatch.GetTimestamp();
                Replace(primary, conflist);
                await WaitForAsync(confDir, marker, agent, stderr, cancellationToken);
                if (i >= WarmupChanges)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(began).TotalMilliseconds);
                }
                await Task.Delay(Gap, cancellationToken);
            }
            return new BenchRow
            {
                Name = "agent-regen",
                Measures = $"plexus config watch: primary conflist replaced → new {Output} on disk, {Changes} changes",
                Unit = "ms",
                Candidate = new Side("plexus config watch", Summary.Of(latencies)),
                QuoteP99 = true,
            }.Apply(Targets.P99Below(100));
        }
        finally
        {
            agent.Kill();
            await agent.WaitForExitAsync(CancellationToken.None);
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void Replace(string path, JsonNode content)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, content.ToJsonString());
        File.Move(temp, path, overwrite: true);
    }

    private static async Task WaitForAsync(string confDir, string marker, Process agent, Task<string> stderr, CancellationToken cancellationToken)
    {
        var output = Path.Combine(confDir, Output);
        var deadline = Stopwatch.GetTimestamp() + (long)(RoundTimeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (agent.HasExited)
            {
                throw new InvalidOperationException($"plexus config watch exited with {agent.ExitCode}: {await stderr}");
            }
            try
            {
                if ((await File.ReadAllTextAsync(output, cancellationToken)).Contains(marker, StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (FileNotFoundException)
            {
                // Not written yet.
            }
            await Task.Delay(1, cancellationToken);
        }
        throw new TimeoutException($"{output} did not get {marker} within {RoundTimeout.TotalSeconds} s");
    }
}
