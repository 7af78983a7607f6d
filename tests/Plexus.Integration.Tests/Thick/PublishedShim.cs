using System.Diagnostics;

namespace Plexus.Integration.Tests.Thick;

/// <summary>Runs the NativeAOT <c>plexus-shim</c> from <c>artifacts/bin</c> with an explicit CNI env and stdin.</summary>
internal static class PublishedShim
{
    public static string Path { get; } = FindBinary();

    public static bool Exists => File.Exists(Path);

    public const string NotPublished = "artifacts/bin/plexus-shim is not published; run `make publish` first";

    public static async Task<(int ExitCode, byte[] Stdout)> RunAsync(IReadOnlyDictionary<string, string> env, byte[] stdin)
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
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var stdout = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout, limit.Token);
        var errors = process.StandardError.ReadToEndAsync(limit.Token);
        await process.StandardInput.BaseStream.WriteAsync(stdin, limit.Token);
        process.StandardInput.Close();
        await process.WaitForExitAsync(limit.Token);
        await copy;
        await errors;
        return (process.ExitCode, stdout.ToArray());
    }

    private static string FindBinary()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "Plexus.slnx")))
        {
            dir = dir.Parent;
        }
        return System.IO.Path.Combine(dir?.FullName ?? "/nonexistent", "artifacts", "bin", "plexus-shim");
    }
}
