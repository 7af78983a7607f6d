using System.Diagnostics;

namespace Plexus.Testing;

/// <summary>
/// A NativeAOT executable from <c>artifacts/bin</c>, run the way a runtime runs a CNI plugin:
/// an explicit CNI env (inherited <c>CNI_*</c> removed; the test process env is not changed) and stdin.
/// </summary>
public sealed class PublishedBinary(string name)
{
    public static PublishedBinary Plexus { get; } = new("plexus");

    public static PublishedBinary Shim { get; } = new("plexus-shim");

    public static PublishedBinary Daemon { get; } = new("plexusd");

    public string Path { get; } = System.IO.Path.Combine(RepoRoot(), "artifacts", "bin", name);

    public bool Exists => File.Exists(Path);

    public string NotPublished => $"artifacts/bin/{name} is not published; run `make publish` first";

    /// <param name="launcher">A command the binary's path is appended to (e.g. <c>unshare … sh -c 'exec "$0"'</c>); none: run it directly.</param>
    public async Task<(int ExitCode, byte[] Stdout, string Stderr)> RunAsync(
        IReadOnlyDictionary<string, string> env, byte[] stdin, TimeSpan? timeout = null, IReadOnlyList<string>? launcher = null)
    {
        using var process = Start(env, launcher);
        using var limit = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        using var stdout = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout, limit.Token);
        var errors = process.StandardError.ReadToEndAsync(limit.Token);
        try
        {
            await process.StandardInput.BaseStream.WriteAsync(stdin, limit.Token);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // VERSION does not read stdin; the process may be gone before we finish writing.
        }
        await process.WaitForExitAsync(limit.Token);
        await copy;
        return (process.ExitCode, stdout.ToArray(), await errors);
    }

    /// <summary>
    /// Starts the binary (through <paramref name="launcher"/>, if given) with the CNI_* variables of <paramref name="env"/>
    /// only (inherited ones removed) and all three streams redirected.
    /// </summary>
    public Process Start(IReadOnlyDictionary<string, string> env, IReadOnlyList<string>? launcher = null)
    {
        var start = new ProcessStartInfo(launcher?[0] ?? Path, launcher is null ? [] : [.. launcher.Skip(1), Path])
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
        return Process.Start(start)!;
    }

    private static string RepoRoot()
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
