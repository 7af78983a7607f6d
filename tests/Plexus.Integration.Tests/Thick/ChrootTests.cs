using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Plexus.Testing;

namespace Plexus.Integration.Tests.Thick;

/// <summary>
/// The published plexusd with <c>chrootDir</c>, for real: a throwaway "node root" (its own dirs plus a bind mount of
/// /proc) stands in for the node's / at /hostroot; the config file is read before the chroot, every other path in it
/// is resolved inside the new root.
/// </summary>
[Trait("Category", "Root")]
public sealed class ChrootTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("plexusd-chroot-").FullName;
    private readonly List<string> _mounts = [];

    [SkippableFact]
    public async Task ChrootDir_PathsOfTheConfig_ResolvedInsideTheNodeRoot()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root for chroot and bind mounts");
        Skip.IfNot(PublishedBinary.Daemon.Exists, PublishedBinary.Daemon.NotPublished);
        var root = Path.Combine(_dir, "hostroot");
        Directory.CreateDirectory(Path.Combine(root, "proc"));
        Mount("--bind", "/proc", Path.Combine(root, "proc"));
        Directory.CreateDirectory(Path.Combine(root, "etc/cni/net.d"));
        await File.WriteAllTextAsync(Path.Combine(root, "etc/cni/net.d/10-kindnet.conflist"),
            """{"cniVersion": "1.0.0", "name": "kindnet", "plugins": [{"type": "ptp"}]}""");
        // Random, so the same path outside the chroot is certainly not there by chance.
        var socketDir = "/run/plexus-chroot-" + Guid.NewGuid().ToString("N")[..12];
        var config = Path.Combine(_dir, "daemon-config.json");
        await File.WriteAllTextAsync(config, $$"""
            {"chrootDir": "{{root}}", "socketDir": "{{socketDir}}", "confDir": "/etc/cni/net.d", "generateConfig": true,
             "backupDir": "/var/lib/plexus/backups", "metricsAddress": "off"}
            """);
        var stderr = new StringBuilder();
        using var daemon = Start(config, stderr);
        try
        {
            var socket = Path.Combine(root + socketDir, "plexus.sock");
            var generated = Path.Combine(root, "etc/cni/net.d/00-plexus.conflist");
            await WaitForAsync(() => File.Exists(generated) && Ready(socket), daemon, stderr);

            Assert.False(Directory.Exists(socketDir), $"plexusd made {socketDir} outside its chrootDir");
            var plugin = JsonNode.Parse(await File.ReadAllTextAsync(generated))!["plugins"]![0]!;
            Assert.Equal("plexus-shim", plugin["type"]!.GetValue<string>());
            Assert.Equal("kindnet", plugin["delegates"]![0]!["name"]!.GetValue<string>());
            Assert.Equal(socketDir, plugin["daemonSocketDir"]!.GetValue<string>());

            // SIGTERM drains and removes the socket and the generated config, inside the chroot.
            Assert.Equal(0, await TerminateAsync(daemon));
            Assert.False(File.Exists(generated), "plexusd left its generated config after SIGTERM");
            Assert.False(File.Exists(socket), "plexusd left its socket after SIGTERM");
        }
        finally
        {
            ProcessReaper.KillIfRunning(daemon);
        }
    }

    [SkippableFact]
    public async Task ChrootDir_WithoutProc_Exit1NamingTheDir()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root for chroot");
        Skip.IfNot(PublishedBinary.Daemon.Exists, PublishedBinary.Daemon.NotPublished);
        var root = Path.Combine(_dir, "bare");
        Directory.CreateDirectory(root);
        var config = Path.Combine(_dir, "daemon-config.json");
        await File.WriteAllTextAsync(config, $$"""{"chrootDir": "{{root}}", "socketDir": "/run/plexus", "metricsAddress": "off"}""");
        var output = new StringBuilder();
        using var daemon = Start(config, output);
        using var reaper = new ProcessReaper(daemon);

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await daemon.WaitForExitAsync(limit.Token);

        Assert.Equal(1, daemon.ExitCode);
        Assert.Contains($"chrootDir {root} has no /proc", output.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(root, "run")), "plexusd went on after finding no /proc");
    }

    public void Dispose()
    {
        foreach (var target in Enumerable.Reverse(_mounts))
        {
            // Lazy: a /proc bind mount is busy while anything still holds it; it goes away once released.
            Run("umount", "-l", target);
        }
        Directory.Delete(_dir, recursive: true);
    }

    private void Mount(params string[] args)
    {
        Assert.Equal(0, Run("mount", args));
        _mounts.Add(args[^1]);
    }

    private static int Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { UseShellExecute = false })!;
        process.WaitForExit();
        return process.ExitCode;
    }

    private static Process Start(string config, StringBuilder stderr)
    {
        var start = new ProcessStartInfo(PublishedBinary.Daemon.Path, "--config=" + config)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment.Remove("NODE_NAME");
        start.Environment.Remove("KUBERNETES_SERVICE_HOST");
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (stderr) { stderr.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (stderr) { stderr.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static bool Ready(string socketPath)
    {
        if (!File.Exists(socketPath))
        {
            return false;
        }
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(socketPath));
        socket.Send("GET /readyz HTTP/1.1\r\nHost: plexusd\r\nConnection: close\r\n\r\n"u8);
        var buffer = new byte[64];
        var n = socket.Receive(buffer);
        return Encoding.ASCII.GetString(buffer, 0, n).StartsWith("HTTP/1.1 200", StringComparison.Ordinal);
    }

    private static async Task WaitForAsync(Func<bool> condition, Process daemon, StringBuilder output)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.False(daemon.HasExited, $"plexusd exited ({(daemon.HasExited ? daemon.ExitCode : 0)}); its output:\n{output}");
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), $"plexusd did not get ready in its chroot; its output:\n{output}");
            await Task.Delay(100);
        }
    }

    private static async Task<int> TerminateAsync(Process daemon)
    {
        Assert.Equal(0, Run("kill", "-TERM", daemon.Id.ToString(CultureInfo.InvariantCulture)));
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        await daemon.WaitForExitAsync(limit.Token);
        return daemon.ExitCode;
    }
}
