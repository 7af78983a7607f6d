using System.Diagnostics;
using System.Text.Json.Nodes;
using Plexus.Cni.ConfFiles;
using Plexus.Cni.IO;
using Plexus.Testing;
using Xunit.Abstractions;

namespace Plexus.NodeAgent.Tests.Generation;

/// <summary>
/// SIGKILL of the long-running agent (<c>plexus config watch</c>, a real child process) at random points
/// while the primary keeps changing: the runtime only ever sees no Plexus config or a complete one, and
/// a restarted agent converges on the latest primary and leaves no temp file in the conf dir.
/// </summary>
public sealed class KillDuringWatchTests(ITestOutputHelper output)
{
    private const string OwnName = "00-plexus.conflist";

    // A large primary widens the write window so kills land inside writes too.
    private static readonly string Pad = new('x', 256 * 1024);

    [SkippableFact]
    public async Task Watch_KilledAtRandomPoints_ConfigAbsentOrCompleteAndRestartConverges()
    {
        var plexus = PlexusBinary.Find();
        Skip.If(plexus is null, "no plexus binary: run `make publish` (artifacts/bin/plexus) or build apps/plexus first");
        using var temp = new TempDir();
        var confDir = temp.Sub("net.d");
        var random = new Random(11);
        var version = 0;
        WritePrimary(confDir, version);
        using (var first = Watch(plexus!, confDir, temp.Path))
        using (new ProcessReaper(first))
        {
            var startup = Stopwatch.StartNew();
            await WaitForVersionAsync(confDir, version);
            startup.Stop();
            first.Kill();
            first.WaitForExit();
            var window = (int)startup.ElapsedMilliseconds + 50;
            for (var i = 0; i < 12; i++)
            {
                using var agent = Watch(plexus!, confDir, temp.Path);
                using var reaper = new ProcessReaper(agent);
                WritePrimary(confDir, ++version);
                await Task.Delay(random.Next(0, window));
                agent.Kill();
                agent.WaitForExit();
                AssertAbsentOrComplete(confDir);
            }
        }

        // What a kill inside AtomicFile's write leaves (random kills land there only sometimes): the restart must remove it.
        var planted = Path.Combine(confDir, AtomicFile.TempPrefix + OwnName + "-0badf00d");
        File.WriteAllText(planted, "{\"half\":");
        using (var last = Watch(plexus!, confDir, temp.Path))
        using (new ProcessReaper(last))
        {
            await WaitForVersionAsync(confDir, version);
            // The config may already be current, so only the stray's removal shows the agent's first pass has run.
            for (var attempt = 0; attempt < 400 && File.Exists(planted); attempt++)
            {
                await Task.Delay(50);
            }
            // Stopped the way a DaemonSet stops it (SIGTERM), so this stop cannot itself cut a write short.
            Process.Start("kill", ["-TERM", last.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            Assert.True(last.WaitForExit(30_000), "the agent did not stop on SIGTERM");
        }

        var strays = Directory.GetFiles(confDir, AtomicFile.TempPrefix + "*").Select(Path.GetFileName).ToList();
        output.WriteLine($"12 SIGKILLs of `plexus config watch`; the restarted agent wrote version {version}; {strays.Count} temp files left");
        Assert.Empty(strays);
    }

    private static void WritePrimary(string confDir, int version) => AtomicFile.WriteAllText(Path.Combine(confDir, "10-primary.conflist"),
        $$"""{"name":"net-{{version}}","cniVersion":"1.0.0","plugins":[{"type":"bridge","pad":"{{Pad}}"}]}""",
        UnixFileMode.UserRead | UnixFileMode.UserWrite);

    private static Process Watch(string plexus, string confDir, string tempDir) =>
        Process.Start(new ProcessStartInfo(plexus, ["config", "watch", "--conf-dir", confDir, "--backup-dir", Path.Combine(tempDir, "backups")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;

    private static async Task WaitForVersionAsync(string confDir, int version)
    {
        for (var attempt = 0; attempt < 400; attempt++)
        {
            if (AssertAbsentOrComplete(confDir) == $"net-{version}")
            {
                return;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"the agent did not write version {version} into {confDir}");
    }

    // The primary network name inside Plexus's config, or null when there is none; fails on anything the runtime could choke on.
    private static string? AssertAbsentOrComplete(string confDir)
    {
        var files = ConfDirStore.List(confDir, CancellationToken.None);
        foreach (var file in files)
        {
            Assert.NotNull(file.Content);
            ConfFileLoader.Load(file.Name, file.Content);
        }
        var own = files.FirstOrDefault(f => f.Name == OwnName);
        return own is null ? null : (string?)JsonNode.Parse(own.Content)!["plugins"]![0]!["delegates"]![0]!["name"];
    }
}
