using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Plexus.Daemon.Protocol.Shim;
using Plexus.Integration.Tests.MetaPlugin;
using Plexus.Testing;
using Xunit.Abstractions;

namespace Plexus.Integration.Tests.Hardening;

/// <summary>
/// SIGKILL of the published plexusd (running in the node namespace) at random points of a burst of
/// ADDs through the shim: after a restart, DEL of every pod succeeds whatever state its ADD reached,
/// and nothing is left on the node (the delegate cache is on disk before any delegate runs).
/// </summary>
[Trait("Category", "Root")]
public sealed class DaemonKillTests(ITestOutputHelper output)
{
    private const int Rounds = 6;
    // More rounds while no kill has landed inside an ADD yet: on a loaded machine a burst can finish before its kill.
    private const int MaxRounds = 3 * Rounds;
    private const int PodsPerRound = 8;
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly PublishedBinary Plexusd = new("plexusd");

    [SkippableFact]
    public async Task AddBurst_DaemonKilledAtRandomPoints_DelAfterRestartCleansEverything()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root for network namespaces");
        Skip.IfNot(Plexusd.Exists, Plexusd.NotPublished);
        await using var bed = await MetaPluginBed.CreateAsync(None);
        var socketDir = Path.Combine(bed.Node.Root, "run");
        var daemonConfig = Path.Combine(bed.Node.Root, "plexusd.json");
        await File.WriteAllTextAsync(daemonConfig, $$"""{"socketDir":"{{socketDir}}","metricsAddress":"off","logLevel":"error"}""");
        // Static delegates only: the simulator listens in the test's namespace, which plexusd in the node namespace cannot reach.
        var side = bed.MacvlanConf("10.76.1.0/24").Replace("{\"cniVersion\"", "{\"name\":\"side\",\"cniVersion\"");
        var config = Encoding.UTF8.GetBytes($$"""
            {"cniVersion":"1.0.0","name":"plexus-net","type":"plexus-shim","daemonSocketDir":"{{socketDir}}","daemonTimeoutSeconds":30,
             "cniDir":"{{bed.CniDir}}","binDir":"{{CniTestNode.DebianPluginDir}}",
             "delegates":[{{bed.BridgeConf("cbr0", "10.76.0.0/24", "cni0")}},{{side}}]}
            """);
        var random = new Random(5);
        var pods = new List<(string Id, string Netns)>();
        var outcomes = new Dictionary<string, int> { ["added"] = 0, ["failed"] = 0 };

        // Round 0 is not killed: it measures how long a burst takes here, so later kills spread over all of it.
        var burstTime = TimeSpan.Zero;
        for (var round = 0; round <= Rounds || (outcomes["failed"] == 0 && round <= MaxRounds); round++)
        {
            using var daemon = await StartDaemonAsync(bed.Node.Name, daemonConfig, socketDir);
            using var reaper = new ProcessReaper(daemon);
            var roundPods = new List<(string Id, string Netns)>();
            for (var i = 0; i < PodsPerRound; i++)
            {
                roundPods.Add(($"r{round}p{i}", await bed.Node.CreatePodAsync(None)));
            }
            pods.AddRange(roundPods);
            var clock = Stopwatch.StartNew();
            var burst = Task.WhenAll(roundPods.Select(p => ShimRunner.RunAsync(Env("ADD", p.Id, p.Netns), config, None)));
            if (round == 0)
            {
                await burst;
                burstTime = clock.Elapsed;
                daemon.Kill();
            }
            else
            {
                var delay = TimeSpan.FromMilliseconds(random.NextDouble() * burstTime.TotalMilliseconds * 1.2);
                if (await Task.WhenAny(burst, Task.Delay(delay)) == burst)
                {
                    // Finished before its kill: bursts got quicker than the first (cold caches, a loaded machine), so
                    // later kills spread over this burst's time, or they could all come after the bursts had finished.
                    burstTime = clock.Elapsed < burstTime ? clock.Elapsed : burstTime;
                }
                daemon.Kill();
                foreach (var result in await burst)
                {
                    outcomes[result.ExitCode == 0 ? "added" : "failed"]++;
                }
            }
            await daemon.WaitForExitAsync();
            await WaitForNodeProcessesAsync(bed.Node.Name);
        }
        using (var restarted = await StartDaemonAsync(bed.Node.Name, daemonConfig, socketDir))
        using (new ProcessReaper(restarted))
        {
            foreach (var (id, netns) in pods)
            {
                var del = await ShimRunner.RunAsync(Env("DEL", id, netns), config, None);
                Assert.True(del.ExitCode == 0, $"DEL {id} after the kills: {Encoding.UTF8.GetString(del.Stdout)}");
                Assert.Empty(await Leftovers.PodLinksAsync(netns, None));
                Assert.Equal(0, (await ShimRunner.RunAsync(Env("DEL", id, netns), config, None)).ExitCode);
            }
        }

        output.WriteLine($"{pods.Count / PodsPerRound - 1} SIGKILLs of plexusd within bursts of {PodsPerRound} ADDs (a burst takes {burstTime.TotalMilliseconds:F0} ms): " +
            $"{outcomes["added"]} ADDs completed, {outcomes["failed"]} cut off; all {pods.Count} pods deleted cleanly after a restart");
        Assert.Empty(await Leftovers.FindAsync(bed, None));
        // Otherwise no kill landed inside an ADD and the test proved nothing.
        Assert.NotEqual(0, outcomes["failed"]);
    }

    private static Dictionary<string, string> Env(string command, string id, string netns) => new()
    {
        ["CNI_COMMAND"] = command,
        ["CNI_CONTAINERID"] = id,
        ["CNI_NETNS"] = netns,
        ["CNI_IFNAME"] = "eth0",
        ["CNI_PATH"] = CniTestNode.DebianPluginDir,
    };

    /// <summary>plexusd inside the node namespace (<c>ip netns exec</c> execs it, so the process is plexusd itself).</summary>
    private static async Task<Process> StartDaemonAsync(string nodeNetns, string configPath, string socketDir)
    {
        var process = Process.Start(new ProcessStartInfo("ip", ["netns", "exec", nodeNetns, Plexusd.Path, "--config=" + configPath])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var socket = Path.Combine(socketDir, "plexus.sock");
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"plexusd exited with {process.ExitCode} at start");
            }
            try
            {
                using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await probe.ConnectAsync(new UnixDomainSocketEndPoint(socket));
                return process;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        process.Kill();
        throw new TimeoutException($"plexusd did not listen on {socket}");
    }

    /// <summary>
    /// Delegates plexusd had started finish on their own after it dies; wait until the node namespace runs nothing. Up to
    /// a burst of real bridge and macvlan ADDs is left, and one bridge ADD alone took over 2 s while other tests created and
    /// deleted namespaces, so only a broken run reaches the limit.
    /// </summary>
    private static async Task WaitForNodeProcessesAsync(string nodeNetns)
    {
        var waited = Stopwatch.StartNew();
        while ((await Ip.RunAsync(None, "netns", "pids", nodeNetns)).Trim().Length > 0)
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"processes still running in {nodeNetns} 60 s after plexusd was killed");
            }
            await Task.Delay(50);
        }
    }
}
