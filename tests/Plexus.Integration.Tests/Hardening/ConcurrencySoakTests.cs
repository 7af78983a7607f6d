using System.Collections.Concurrent;
using System.Diagnostics;
using Plexus.Cni;
using Plexus.Integration.Tests.MetaPlugin;
using Plexus.Linux.Netns;
using Plexus.Testing;
using Xunit.Abstractions;

namespace Plexus.Integration.Tests.Hardening;

/// <summary>
/// Many pods added and deleted at once, thin and thick, with real bridge + host-local delegates in a
/// throwaway node namespace and the API simulator: afterwards nothing is left on the node, and a
/// second DEL of every pod is harmless. <c>PLEXUS_SOAK_PODS</c> sets the number of pods (default 200 in make test; make soak runs 500).
/// </summary>
[Trait("Category", "Root")]
public sealed class ConcurrencySoakTests(ITestOutputHelper output)
{
    private const int Parallel = 16;
    private static readonly CancellationToken None = CancellationToken.None;

    private static int Pods => int.TryParse(Environment.GetEnvironmentVariable("PLEXUS_SOAK_PODS"), out var n) && n > 0 ? n : 200;

    [SkippableTheory]
    [InlineData("thin")]
    [InlineData("thick")]
    public async Task AddDel_ManyPodsSixteenAtOnce_EveryPodAttachedNothingLeftDelTwiceHarmless(string mode)
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root for network namespaces");
        await using var bed = await MetaPluginBed.CreateAsync(None);
        await using var plexus = await PlexusFrontEnd.StartAsync(mode, bed);
        bed.Sim.CreateNetworkAttachmentDefinition(bed.Namespace, "side", bed.BridgeConf("side", "10.72.0.0/16", "sbr0").Replace("\"name\":\"side\",", ""));
        var config = plexus.Config(bed.BridgeConf("cbr0", "10.71.0.0/16", "cbr0"));
        var pods = Pods;
        for (var i = 0; i < pods; i++)
        {
            bed.Sim.CreatePod(bed.Namespace, $"p{i}", annotations: new Dictionary<string, string> { ["k8s.v1.cni.cncf.io/networks"] = "side" });
        }
        var addresses = new ConcurrentBag<string>();
        var failures = new ConcurrentQueue<string>();
        var clock = Stopwatch.StartNew();

        await System.Threading.Tasks.Parallel.ForAsync(0, pods, new ParallelOptions { MaxDegreeOfParallelism = Parallel }, async (i, _) =>
        {
            var netnsName = TestNetns.NewName();
            var netns = await NetnsManager.CreateAsync(netnsName, None);
            try
            {
                var id = $"soak{i}-{Guid.NewGuid():N}";
                var add = await plexus.CallAsync("ADD", id, netns, config, $"p{i}");
                if (add.Exit != 0)
                {
                    failures.Enqueue($"p{i} ADD exit {add.Exit}: {add.Output}");
                    return;
                }
                addresses.Add((string)add.Output!["ips"]![0]!["address"]!);
                var links = await Leftovers.PodLinksAsync(netns, None);
                if (!links.Order().SequenceEqual(["eth0", "net1"]))
                {
                    failures.Enqueue($"p{i} has links [{string.Join(' ', links)}] after ADD");
                }
                foreach (var round in new[] { "DEL", "second DEL" })
                {
                    var del = await plexus.CallAsync("DEL", id, netns, config, $"p{i}");
                    if (del.Exit != 0)
                    {
                        failures.Enqueue($"p{i} {round} exit {del.Exit}: {del.Output}");
                    }
                }
                if ((await Leftovers.PodLinksAsync(netns, None)).Count != 0)
                {
                    failures.Enqueue($"p{i} still has interfaces after DEL");
                }
            }
            finally
            {
                NetnsManager.Delete(netnsName);
            }
        });
        clock.Stop();

        var leftovers = await Leftovers.FindAsync(bed, None);
        output.WriteLine($"{mode}: {pods} pods x (ADD of 2 networks, DEL, DEL), {Parallel} at once: {clock.Elapsed.TotalSeconds:F1} s, " +
            $"{failures.Count} failures, {leftovers.Count} leftovers");
        Assert.Empty(failures);
        Assert.Equal(pods, addresses.Distinct().Count());
        Assert.All(addresses, a => Assert.StartsWith("10.71.", a));
        Assert.Empty(leftovers);
    }
}
