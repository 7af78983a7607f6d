using System.Text;
using Plexus.Testing;

namespace Plexus.Integration.Tests.Startup;

/// <summary>
/// The one-shot executables are linked so that the .NET runtime skips its cgroup lookups, which scan the node's
/// whole mount table, while a CNI call starts (apps/cni-start/cni_start.c); other starts keep them. Each test runs
/// the published binary under strace and reads which files it opened.
/// </summary>
public sealed class MountTableScanTests : IDisposable
{
    private const string MountTable = "/proc/self/mountinfo";

    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("plexus-start-trace-");

    public static TheoryData<string> CniExecutables => ["plexus", "plexus-shim"];

    public void Dispose() => _work.Delete(recursive: true);

    [SkippableTheory]
    [MemberData(nameof(CniExecutables))]
    public async Task CniCall_RuntimeStartsWithoutReadingTheMountTable(string name)
    {
        var (exit, stdout, opened) = await TraceOpensAsync(name, new Dictionary<string, string> { ["CNI_COMMAND"] = "VERSION" });

        Assert.Equal(0, exit);
        Assert.Contains("\"supportedVersions\"", stdout, StringComparison.Ordinal);
        // The trace is real: the runtime's other start-up reads are there.
        Assert.Contains(opened, path => path == "/proc/meminfo");
        Assert.DoesNotContain(MountTable, opened);
    }

    [SkippableTheory]
    [MemberData(nameof(CniExecutables))]
    public async Task StartWithoutCniCommand_RuntimeStillLooksUpItsCgroup(string name)
    {
        // Not a CNI call (the node agent's commands, or a mistaken start): the runtime keeps its container limits.
        var (_, _, opened) = await TraceOpensAsync(name, new Dictionary<string, string>());

        Assert.Contains(MountTable, opened);
    }

    private async Task<(int ExitCode, string Stdout, List<string> Opened)> TraceOpensAsync(string name, Dictionary<string, string> env)
    {
        var binary = new PublishedBinary(name);
        Skip.IfNot(binary.Exists, binary.NotPublished);
        var trace = Path.Combine(_work.FullName, $"{name}.trace");
        var (exit, stdout, _) = await binary.RunAsync(env, "{\"cniVersion\":\"1.0.0\"}"u8.ToArray(),
            launcher: ["strace", "-f", "-qq", "-e", "trace=open,openat", "-o", trace]);
        var opened = File.ReadLines(trace)
            .Select(line => line.Split('"'))
            .Where(parts => parts.Length >= 3)
            .Select(parts => parts[1])
            .ToList();
        return (exit, Encoding.UTF8.GetString(stdout), opened);
    }
}
