using System.Diagnostics;
using System.Text;
using Plexus.Integration.Tests.MetaPlugin;
using Plexus.Testing;
using Xunit.Abstractions;

namespace Plexus.Integration.Tests.Hardening;

/// <summary>
/// SIGKILL of the published thin plugin at random points of an ADD of a pod with two NADs, the way a runtime kills
/// a plugin that timed out: whatever the ADD reached (the cluster network's delegate running while the NADs are read
/// on a second thread, the delegate cache naming only the cluster network or already all three), the runtime's DEL
/// afterwards removes every interface, address reservation and cache file.
/// </summary>
[Trait("Category", "Root")]
public sealed class ThinKillTests(ITestOutputHelper output)
{
    private const int Rounds = 24;
    private const int Unkilled = 2;
    private static readonly CancellationToken None = CancellationToken.None;

    [SkippableFact]
    public async Task Add_KilledAtRandomPoints_DelRemovesEverything()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root for network namespaces");
        Skip.IfNot(PublishedBinary.Plexus.Exists, PublishedBinary.Plexus.NotPublished);
        await using var bed = await MetaPluginBed.CreateAsync(None);
        bed.Sim.CreateNetworkAttachmentDefinition(bed.Namespace, "side", bed.MacvlanConf("10.64.1.0/24"));
        bed.Sim.CreatePod(bed.Namespace, "p", annotations: new Dictionary<string, string> { ["k8s.v1.cni.cncf.io/networks"] = "side,second" });
        bed.Sim.CreateNetworkAttachmentDefinition(bed.Namespace, "second", bed.BridgeConf("ignored", "10.64.2.0/24", "cni2").Replace("\"name\":\"ignored\",", ""));
        // The plugin runs in this process's namespace, where the simulator listens; its delegates run in the node's.
        foreach (var type in new[] { "bridge", "macvlan" })
        {
            bed.Node.WriteStubPlugin(type, $"exec nsenter --net={bed.Node.NetnsPath} {CniTestNode.DebianPluginDir}/{type} \"$@\"");
        }
        var config = Encoding.UTF8.GetBytes(bed.Config(bed.BridgeConf("cbr0", "10.64.0.0/24", "cni0"), """
            ,"capabilities":{"io.kubernetes.cri.pod-annotations":true},
             "runtimeConfig":{"io.kubernetes.cri.pod-annotations":{"k8s.v1.cni.cncf.io/networks":"side,second"}}
            """).Replace(CniTestNode.DebianPluginDir, bed.Node.StubBinDir, StringComparison.Ordinal));
        var random = new Random(7);
        var addTime = TimeSpan.MaxValue;
        var killed = 0;

        // The first rounds are not killed: they check the ADD works here and measure how long a warm one takes, so
        // the kills spread over it. The quickest of them counts: on a machine whose load drops, later ADDs are faster.
        for (var round = 0; round < Unkilled + Rounds; round++)
        {
            var podNs = await bed.Node.CreatePodAsync(None);
            var id = MetaPluginBed.NewContainerId();
            var env = MetaPluginBed.Environment("ADD", id, podNs, bed.Namespace, "p");
            if (round < Unkilled)
            {
                var clock = Stopwatch.StartNew();
                var (exit, _, stderr) = await PublishedBinary.Plexus.RunAsync(env, config);
                addTime = clock.Elapsed < addTime ? clock.Elapsed : addTime;
                Assert.True(exit == 0, $"ADD failed: {stderr}");
                Assert.Equal(["eth0", "lo", "net1", "net2"], (await bed.AddressesAsync(podNs, None)).Keys.Order().ToArray());
            }
            else
            {
                var delay = TimeSpan.FromMilliseconds(random.NextDouble() * addTime.TotalMilliseconds);
                var finishedIn = await AddKilledAfterAsync(env, config, delay);
                if (finishedIn is { } elapsed)
                {
                    // Finished before its kill: the machine got quicker, so later kills spread over this ADD's time.
                    addTime = elapsed < addTime ? elapsed : addTime;
                }
                else
                {
                    killed++;
                }
                // A delegate the plugin had started goes on without it, as under a runtime; the runtime's DEL comes after.
                await WaitForDelegatesOfAsync(id);
            }

            var del = await PublishedBinary.Plexus.RunAsync(MetaPluginBed.Environment("DEL", id, podNs, bed.Namespace, "p"), config);

            Assert.True(del.ExitCode == 0, $"round {round}: DEL failed: {Encoding.UTF8.GetString(del.Stdout)} {del.Stderr}");
            Assert.Equal(["lo"], (await bed.AddressesAsync(podNs, None)).Keys.ToArray());
            Assert.Empty(bed.ReservedAddresses());
            Assert.Empty(Directory.Exists(bed.CniDir) ? Directory.EnumerateFiles(bed.CniDir, "*", SearchOption.AllDirectories) : []);
        }
        output.WriteLine($"ADD took {addTime.TotalMilliseconds:0} ms; {killed} of {Rounds} ADDs were killed before they finished");
        Assert.True(killed >= Rounds / 2, $"only {killed} of {Rounds} ADDs were killed mid-way: the kills did not cover the ADD");
    }

    /// <summary>
    /// Starts the ADD and sends SIGKILL to the plugin (not its delegates) after <paramref name="delay"/>. Null when it was
    /// killed while running, else how long the ADD took.
    /// </summary>
    private static async Task<TimeSpan?> AddKilledAfterAsync(IReadOnlyDictionary<string, string> env, byte[] config, TimeSpan delay)
    {
        using var plugin = PublishedBinary.Plexus.Start(env);
        var clock = Stopwatch.StartNew();
        var stdout = plugin.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        var stderr = plugin.StandardError.BaseStream.CopyToAsync(Stream.Null);
        await plugin.StandardInput.BaseStream.WriteAsync(config);
        plugin.StandardInput.Close();
        var exited = plugin.WaitForExitAsync();
        TimeSpan? finishedIn = await Task.WhenAny(exited, Task.Delay(delay)) == exited ? clock.Elapsed : null;
        if (finishedIn is null)
        {
            plugin.Kill(entireProcessTree: false);
        }
        await plugin.WaitForExitAsync();
        await Task.WhenAll(stdout, stderr);
        return finishedIn;
    }

    /// <summary>Waits until no process carries the container's CNI_CONTAINERID any more (10 s at most).</summary>
    private static async Task WaitForDelegatesOfAsync(string containerId)
    {
        var marker = Encoding.ASCII.GetBytes($"CNI_CONTAINERID={containerId}\0");
        var deadline = Stopwatch.StartNew();
        while (Directory.EnumerateDirectories("/proc").Any(dir => Carries(dir, marker)))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), $"a delegate of container {containerId} still runs after 10 s");
            await Task.Delay(10);
        }
    }

    private static bool Carries(string procDir, byte[] marker)
    {
        if (!int.TryParse(Path.GetFileName(procDir), out _))
        {
            return false;
        }
        try
        {
            return File.ReadAllBytes(Path.Combine(procDir, "environ")).AsSpan().IndexOf(marker) >= 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
