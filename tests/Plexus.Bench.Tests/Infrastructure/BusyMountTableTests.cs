using System.Text;
using Plexus.Bench.Infrastructure;

namespace Plexus.Bench.Tests.Infrastructure;

public sealed class BusyMountTableTests
{
    private const string MountSource = "plexus-bench";

    [SkippableFact]
    public void Run_SpawnedProcess_SeesTheMountsTheHostNeverDoes()
    {
        SkipUnlessRoot();
        var hostBefore = MountPoints(MountInfo("/proc/self/mountinfo"));
        var tempDirs = MountDirs();

        using (var table = BusyMountTable.Create(extraMounts: 40))
        {
            var child = table.Run(() => ProcessProbe.Run(ProbeMode.WallTime, ["/bin/cat", "/proc/self/mountinfo"], new Dictionary<string, string>(), []));
            // Tests running beside this one add and remove network namespaces (mounts) meanwhile: the host's mounts
            // that stood throughout are the ones the child must see.
            var hostThroughout = MountPoints(MountInfo("/proc/self/mountinfo")).Intersect(hostBefore).ToHashSet();

            Assert.Equal(0, child.ExitCode);
            var childEntries = child.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(table.Entries, childEntries.Length);
            Assert.Equal(41, childEntries.Count(IsBenchMount));
            Assert.Superset(hostThroughout, MountPoints(childEntries.Where(e => !IsBenchMount(e))));
            Assert.DoesNotContain(MountInfo("/proc/self/mountinfo"), IsBenchMount);
            Assert.DoesNotContain(MountInfo("/proc/1/mountinfo"), IsBenchMount);
        }

        Assert.DoesNotContain(MountInfo("/proc/self/mountinfo"), IsBenchMount);
        Assert.Equal(tempDirs, MountDirs());
    }

    [SkippableFact]
    public void Run_FailingWork_ThrowsToTheCallerAndTheTableKeepsServing()
    {
        SkipUnlessRoot();
        using var table = BusyMountTable.Create(extraMounts: 1);

        var error = Assert.Throws<InvalidOperationException>(() => table.Run<int>(() => throw new InvalidOperationException("work failed")));

        Assert.Equal("work failed", error.Message);
        Assert.Equal(2, table.Run(() => MountInfo("/proc/thread-self/mountinfo").Count(IsBenchMount)));
    }

    private static void SkipUnlessRoot() => Skip.IfNot(Environment.IsPrivilegedProcess, "needs root to mount");

    private static bool IsBenchMount(string entry) => entry.Contains($" - tmpfs {MountSource} ", StringComparison.Ordinal);

    private static List<string> MountInfo(string path) => [.. File.ReadLines(path, Encoding.UTF8)];

    // The fifth field of a mountinfo line.
    private static HashSet<string> MountPoints(IEnumerable<string> entries) => [.. entries.Select(e => e.Split(' ')[4])];

    private static string[] MountDirs() =>
        [.. Directory.EnumerateDirectories(Path.GetTempPath(), "plexus-bench-mounts-*").Order(StringComparer.Ordinal)];
}
