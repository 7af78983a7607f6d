using System.Diagnostics;

namespace Plexus.Bench.Infrastructure;

/// <summary>Runs a helper tool (ip, cc) to completion; a non-zero exit throws with the command and its stderr.</summary>
internal static class Tool
{
    public static void Run(string tool, IReadOnlyList<string> args)
    {
        using var process = Process.Start(new ProcessStartInfo(tool, args) { RedirectStandardError = true })
            ?? throw new InvalidOperationException($"cannot start {tool}");
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', args)} failed: {error}");
        }
    }
}
