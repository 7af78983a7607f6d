using System.Diagnostics;
using System.Text;

namespace Plexus.App.Tests;

/// <summary>Runs the NativeAOT binary from <c>artifacts/bin</c> with an explicit env (the test process env is not changed).</summary>
internal static class PublishedPlexus
{
    public static string Path { get; } = System.IO.Path.Combine(FindRepoRoot(), "artifacts", "bin", "plexus");

    public static bool Exists => File.Exists(Path);

    public const string NotPublished = "artifacts/bin/plexus is not published; run `make publish` first";

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IReadOnlyDictionary<string, string> env, string stdin)
    {
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("CNI_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }
        foreach (var (key, value) in env)
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.StandardInput.BaseStream.WriteAsync(Encoding.UTF8.GetBytes(stdin), timeout.Token);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // VERSION does not read stdin; the process may be gone before we finish writing.
        }
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Plexus.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no Plexus.slnx above {AppContext.BaseDirectory}");
    }
}
