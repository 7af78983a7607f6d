using System.Diagnostics;
using System.Text.Json.Nodes;
using Plexus.Cni.ConfFiles;
using Plexus.NodeAgent.Selection;
using Plexus.Testing;
using Xunit.Abstractions;

namespace Plexus.NodeAgent.Tests.Generation;

/// <summary>
/// SIGKILL at random points of <c>plexus config generate</c> (a real child process): the runtime
/// must only ever see no Plexus config or a complete, valid one.
/// </summary>
public sealed class KillDuringGenerateTests(ITestOutputHelper output)
{
    // A large primary makes the write window wide enough for kills to land inside it.
    private static readonly string Pad = new('x', 256 * 1024);

    private const string Primary = "{\"name\":\"net-VERSION\",\"cniVersion\":\"1.0.0\",\"plugins\":[{\"type\":\"bridge\",\"pad\":\"PAD\"},{\"type\":\"portmap\",\"capabilities\":{\"portMappings\":true}}]}";

    [SkippableFact]
    public void Generate_KilledAtRandomPoints_ConfigAbsentOrCompleteAndValid()
    {
        var plexus = PlexusBinary.Find();
        Skip.If(plexus is null, "no plexus binary: run `make publish` (artifacts/bin/plexus) or build apps/plexus first");
        using var temp = new TempDir();
        var confDir = temp.Sub("net.d");
        var random = new Random(42);
        var seen = new Dictionary<string, int> { ["absent"] = 0, ["complete"] = 0 };
        var killedWhileRunning = 0;
        // One uninterrupted run tells how long a run takes here, so the kills spread over all of it.
        var clock = Stopwatch.StartNew();
        using (var full = Generate(plexus!, confDir, temp.Path, "full"))
        {
            full.WaitForExit();
            Assert.Equal(0, full.ExitCode);
        }
        var runMs = (int)clock.ElapsedMilliseconds + 1;
        Assert.Equal("complete", CheckConfDir(confDir));
        for (var i = 0; i < 24; i++)
        {
            if (i % 2 == 0)
            {
                File.Delete(Path.Combine(confDir, "00-plexus.conflist"));
            }
            using var child = Generate(plexus!, confDir, temp.Path, i.ToString());
            using var reaper = new ProcessReaper(child);
            var running = Stopwatch.StartNew();
            if (child.WaitForExit(random.Next(0, runMs * 6 / 5)))
            {
                // Finished before its kill: runs got quicker than the first (a cold start on a loaded machine), so later
                // kills spread over this run's time, or they could all come after the runs had finished.
                runMs = Math.Min(runMs, (int)running.ElapsedMilliseconds + 1);
            }
            child.Kill();
            child.WaitForExit();
            // A run that finished before its kill exits 0; one the kill cut short dies of SIGKILL (128 + 9).
            if (child.ExitCode == 137)
            {
                killedWhileRunning++;
            }
            else
            {
                Assert.Equal(0, child.ExitCode);
            }
            seen[CheckConfDir(confDir)]++;
        }
        output.WriteLine($"after SIGKILL: {seen["absent"]} runs left no config, {seen["complete"]} a complete one; {killedWhileRunning} of 24 kills landed while generate ran");
        // Otherwise every run had finished before its kill and the test proved nothing.
        Assert.NotEqual(0, killedWhileRunning);
    }

    private static Process Generate(string plexus, string confDir, string tempDir, string version)
    {
        File.WriteAllText(Path.Combine(confDir, "10-primary.conflist"), Primary.Replace("VERSION", version).Replace("PAD", Pad));
        return Process.Start(new ProcessStartInfo(plexus, ["config", "generate", "--conf-dir", confDir, "--backup-dir", Path.Combine(tempDir, "backups")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
    }

    // Returns "absent" or "complete"; fails on anything the runtime could choke on.
    private static string CheckConfDir(string confDir)
    {
        var files = ConfDirStore.List(confDir, CancellationToken.None);
        foreach (var file in files)
        {
            Assert.NotNull(file.Content);
            ConfFileLoader.Load(file.Name, file.Content);
        }
        var own = files.FirstOrDefault(f => f.Name == "00-plexus.conflist");
        if (own is null)
        {
            return "absent";
        }
        var cluster = JsonNode.Parse(own.Content)!["plugins"]![0]!["delegates"]![0]!;
        Assert.StartsWith("net-", cluster["name"]!.GetValue<string>());
        Assert.Equal(0, Scenarios.Scan(cluster).MetaDepth);
        return "complete";
    }
}

/// <summary>The plexus executable: the published NativeAOT one, else the build output.</summary>
public static class PlexusBinary
{
    public static string? Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Plexus.slnx")))
        {
            dir = dir.Parent;
        }
        if (dir is null)
        {
            return null;
        }
        string[] candidates =
        [
            Path.Combine(dir.FullName, "artifacts", "bin", "plexus"),
            Path.Combine(dir.FullName, "artifacts", "build", "bin", "plexus", "release", "plexus"),
        ];
        return candidates.FirstOrDefault(File.Exists);
    }
}
