using System.Globalization;

namespace Plexus.Deploy.Tests;

/// <summary>
/// artifacts/bin/kube-sim started and killed the way the tests do it (KubeSimProcess: SIGKILL on
/// dispose). A JIT runtime killed that way cannot remove its debugger pipes and diagnostics socket,
/// so the launcher must keep the simulator from creating them; thousands had piled up in /tmp.
/// </summary>
public sealed class KubeSimLauncherTests
{
    [SkippableFact]
    public async Task KillHard_AfterStart_LeavesNoDebuggerPipeOrDiagnosticsSocket()
    {
        var missing = KubeSimProcess.MissingPrerequisite();
        Skip.If(missing is not null, missing);
        Skip.If(Environment.GetEnvironmentVariable("DOTNET_EnableDiagnostics") == "0",
            "this test process runs with DOTNET_EnableDiagnostics=0: it has no files of its own to prove the check's names against");
        // The check is only as good as the names it looks for: this test process is a JIT runtime
        // with diagnostics on, so its own files must be there under those names.
        var own = RuntimeIpcFiles(Environment.ProcessId);
        Assert.True(own.All(File.Exists), $"this test process has none or only some of {string.Join(", ", own)}: " +
            "the runtime names or places them differently now, so the check below would find nothing; update RuntimeIpcFiles");

        string[] simulatorFiles;
        await using (var sim = await KubeSimProcess.StartAsync(CancellationToken.None))
        {
            Assert.True(File.ReadAllText($"/proc/{sim.ProcessId}/maps").Contains("libcoreclr.so", StringComparison.Ordinal),
                $"process {sim.ProcessId} is not the simulator's runtime (the launcher no longer execs it), so the check would look at the wrong pid");
            simulatorFiles = RuntimeIpcFiles(sim.ProcessId);
        }

        var leftBehind = simulatorFiles.Where(File.Exists).ToArray();
        // Removed before asserting so that a failing run does not add to the pile itself.
        foreach (var file in leftBehind)
        {
            File.Delete(file);
        }
        Assert.Equal([], leftBehind);
    }

    /// <summary>
    /// The debugger pipes and diagnostics socket a JIT runtime creates at startup, named after its
    /// pid and its start time (field 22 of /proc/PID/stat, so a reused pid names other files).
    /// </summary>
    private static string[] RuntimeIpcFiles(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the parenthesised command (which may itself hold spaces) start at field 3.
        var startTime = long.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[22 - 3], CultureInfo.InvariantCulture);
        var prefix = Path.Combine(Path.GetTempPath(), $"clr-debug-pipe-{pid}-{startTime}");
        return [prefix + "-in", prefix + "-out", Path.Combine(Path.GetTempPath(), $"dotnet-diagnostic-{pid}-{startTime}-socket")];
    }
}
