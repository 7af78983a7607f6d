using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Plexus.Cni.Invoke;
using Plexus.Testing;

namespace Plexus.Cni.Tests.Invoke;

/// <summary>Alone: exited plugins of this test process stay unreleased (zombies) until DeferredReaper releases them.</summary>
[CollectionDefinition(nameof(DeferredReaper), DisableParallelization = true)]
public sealed class DeferredReaperCollection;

[Collection(nameof(DeferredReaper))]
public sealed class ProcessPluginExecutorTests : IDisposable
{
    // The timeout of a stub that hangs on purpose. It also covers the shell starting and writing what the test reads
    // afterwards (a pid, a line on stderr), which took longer than 300 ms on a loaded machine, so it stays generous.
    private static readonly TimeSpan HangTimeout = TimeSpan.FromSeconds(5);

    private readonly string _dir = Directory.CreateTempSubdirectory("plexus-exec-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task ExecuteAsync_Success_ReturnsStdoutAndPassesEnvAndStdin()
    {
        var envFile = Path.Combine(_dir, "env");
        var plugin = Stub("echoer", $"env | grep ^CNI_ | sort > {envFile}\ncat\necho some log >&2");
        var invocation = Invocation(plugin) with { Stdin = "{\"cniVersion\":\"1.0.0\",\"name\":\"n\"}"u8.ToArray() };

        var stdout = await new ProcessPluginExecutor().ExecuteAsync(invocation, CancellationToken.None);

        Assert.Equal("{\"cniVersion\":\"1.0.0\",\"name\":\"n\"}", Encoding.UTF8.GetString(stdout));
        Assert.Equal(
            ["CNI_ARGS=K=V", "CNI_COMMAND=ADD", "CNI_CONTAINERID=c1", "CNI_IFNAME=net1", "CNI_NETNS=/run/netns/p", $"CNI_PATH={_dir}"],
            File.ReadAllLines(envFile));
    }

    [Fact]
    public async Task ExecuteAsync_ExitNonZeroWithErrorJson_ThrowsItsCodeNamingDelegate()
    {
        var plugin = Stub("failer", "cat >/dev/null\necho '{\"cniVersion\":\"1.0.0\",\"code\":11,\"msg\":\"busy now\",\"details\":\"retry\"}'\nexit 1");

        var error = await Assert.ThrowsAsync<CniException>(() => new ProcessPluginExecutor().ExecuteAsync(Invocation(plugin), CancellationToken.None));

        Assert.Equal(11, error.Code);
        Assert.Equal("plugin \"failer\" (network \"net-a\") failed on ADD: busy now", error.Message);
        Assert.Equal("retry", error.Details);
    }

    [Fact]
    public async Task ExecuteAsync_ExitNonZeroWithoutStdout_ReportsStderr()
    {
        var plugin = Stub("crasher", "echo 'panic: nil map' >&2\nexit 2");

        var error = await Assert.ThrowsAsync<CniException>(() => new ProcessPluginExecutor().ExecuteAsync(Invocation(plugin), CancellationToken.None));

        Assert.Equal(CniErrorCode.IoFailure, error.Code);
        Assert.Equal("plugin \"crasher\" (network \"net-a\") failed on ADD: exit status 2: panic: nil map", error.Message);
    }

    [Fact]
    public async Task ExecuteAsync_ExitNonZeroWithNonJsonStdout_ReportsOutput()
    {
        var plugin = Stub("garbler", "echo 'this is not json'\nexit 3");

        var error = await Assert.ThrowsAsync<CniException>(() => new ProcessPluginExecutor().ExecuteAsync(Invocation(plugin), CancellationToken.None));

        Assert.Equal(CniErrorCode.IoFailure, error.Code);
        Assert.Contains("plugin \"garbler\" (network \"net-a\") failed on ADD: exit status 3", error.Message);
        Assert.Contains("this is not json", error.Message);
    }

    [Fact]
    public async Task ExecuteAsync_HangsPastTimeout_KillsProcessTreeAndThrows()
    {
        var pidFile = Path.Combine(_dir, "child.pid");
        var plugin = Stub("hanger", $"sleep 600 &\necho $! > {pidFile}\necho started >&2\nwait");
        var executor = new ProcessPluginExecutor(new ProcessPluginExecutorOptions { Timeout = HangTimeout });

        var error = await Assert.ThrowsAsync<CniException>(() => executor.ExecuteAsync(Invocation(plugin), CancellationToken.None));

        Assert.Equal(CniErrorCode.IoFailure, error.Code);
        Assert.Equal($"plugin \"hanger\" (network \"net-a\") did not finish ADD within {HangTimeout.TotalSeconds}s and was killed", error.Message);
        Assert.Contains("stderr: started", error.Details);
        var child = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        await WaitUntilAsync(() => !IsAlive(child));
    }

    [Fact]
    public async Task ExecuteAsync_CallerCancels_KillsProcessAndThrowsCancellation()
    {
        var pidFile = Path.Combine(_dir, "cancel.pid");
        var plugin = Stub("cancelled", $"echo $$ > {pidFile}\nexec sleep 600");
        using var cancel = new CancellationTokenSource();

        var run = new ProcessPluginExecutor().ExecuteAsync(Invocation(plugin), cancel.Token);
        await WaitUntilAsync(() => File.Exists(pidFile) && File.ReadAllText(pidFile).Trim().Length > 0);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        var pid = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        await WaitUntilAsync(() => !IsAlive(pid));
    }

    [Fact]
    public async Task ExecuteAsync_TextFileBusyTwice_RetriesAfterInjectedDelayAndSucceeds()
    {
        var plugin = Stub("busy", "echo ok");
        var time = new ManualTimeProvider();
        var attempts = 0;
        var executor = new ProcessPluginExecutor(new ProcessPluginExecutorOptions
        {
            TimeProvider = time,
            StartProcess = start => { if (++attempts <= 2) { throw new Win32Exception(26); } start(); },
        });

        var run = executor.ExecuteAsync(Invocation(plugin), CancellationToken.None);
        for (var i = 1; i <= 2; i++)
        {
            await time.WaitForTimerAsync(TimeSpan.FromSeconds(1), i);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal("ok\n", Encoding.UTF8.GetString(await run));
        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task ExecuteAsync_TextFileBusyBeyondRetries_ThrowsAfterSixAttempts()
    {
        var plugin = Stub("stuck", "echo ok");
        var attempts = 0;
        var executor = new ProcessPluginExecutor(new ProcessPluginExecutorOptions
        {
            TextFileBusyDelay = TimeSpan.Zero,
            StartProcess = _ => { attempts++; throw new Win32Exception(26); },
        });

        var error = await Assert.ThrowsAsync<CniException>(() => executor.ExecuteAsync(Invocation(plugin), CancellationToken.None));

        Assert.Equal(6, attempts);
        Assert.Equal(CniErrorCode.IoFailure, error.Code);
        Assert.Contains("plugin \"stuck\"", error.Message);
        Assert.Contains("still busy after 6 attempts", error.Details);
    }

    [Fact]
    public async Task ExecuteAsync_BinaryOpenForWriting_KernelTextFileBusyIsRecognised()
    {
        var plugin = Stub("writing", "echo ok");
        using var writer = new FileStream(plugin, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        var executor = new ProcessPluginExecutor(new ProcessPluginExecutorOptions { TextFileBusyRetries = 1, TextFileBusyDelay = TimeSpan.Zero });

        var error = await Assert.ThrowsAsync<CniException>(() => executor.ExecuteAsync(Invocation(plugin), CancellationToken.None));

        Assert.Contains("still busy after 2 attempts", error.Details);
    }

    [Fact]
    public async Task ExecuteAsync_PluginVanished_ThrowsIoNamingDelegate()
    {
        var error = await Assert.ThrowsAsync<CniException>(() => new ProcessPluginExecutor().ExecuteAsync(Invocation(Path.Combine(_dir, "gone")), CancellationToken.None));

        Assert.Equal(CniErrorCode.IoFailure, error.Code);
        Assert.StartsWith("plugin \"gone\" (network \"net-a\") could not be started for ADD", error.Message);
    }

    [Fact]
    public async Task ExecuteAsync_PluginIgnoresStdin_StillSucceeds()
    {
        var plugin = Stub("deaf", "exec 0<&-\necho '{}'");
        var invocation = Invocation(plugin) with { Stdin = new byte[1 << 20] };

        var stdout = await new ProcessPluginExecutor().ExecuteAsync(invocation, CancellationToken.None);

        Assert.Equal("{}\n", Encoding.UTF8.GetString(stdout));
    }

    [Fact]
    public async Task ExecuteAsync_WaitOnCallingThread_CompletesBeforeReturningTheTask()
    {
        var plugin = Stub("inline", "cat");
        var executor = new ProcessPluginExecutor(new ProcessPluginExecutorOptions { WaitOnCallingThread = true });

        var run = executor.ExecuteAsync(Invocation(plugin) with { Stdin = "{}"u8.ToArray() }, CancellationToken.None);

        Assert.True(run.IsCompleted);
        Assert.Equal("{}", Encoding.UTF8.GetString(await run));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ExecuteAsync_InputAndOutputBeyondPipeBuffers_PassesEveryByte(bool waitOnCallingThread)
    {
        var plugin = Stub("bulk", "cat\nhead -c 300000 /dev/zero >&2");
        var input = new byte[1 << 20];
        Random.Shared.NextBytes(input);
        var executor = new ProcessPluginExecutor(new ProcessPluginExecutorOptions { WaitOnCallingThread = waitOnCallingThread });

        var stdout = await executor.ExecuteAsync(Invocation(plugin) with { Stdin = input }, CancellationToken.None);

        Assert.Equal(input, stdout);
    }

    [Fact]
    public async Task ExecuteAsync_Plugin_StartsWithNoSignalIgnoredOrBlocked()
    {
        // The .NET runtime ignores SIGPIPE; a plugin inheriting that would not die on a closed pipe.
        // Only signals 1-31 count: glibc's posix_spawn ignores its own two internal real-time
        // signals (32, 33) in the child, and every glibc program re-installs handlers for those.
        var plugin = Stub("signals", "exec grep -E '^Sig(Ign|Blk):' /proc/self/status");

        var stdout = Encoding.UTF8.GetString(await new ProcessPluginExecutor().ExecuteAsync(Invocation(plugin), CancellationToken.None));

        var masks = stdout.Trim().Split('\n').Select(line => line.Split(":\t")).ToDictionary(
            parts => parts[0], parts => ulong.Parse(parts[1], System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0UL, masks["SigBlk"]);
        Assert.Equal(0UL, masks["SigIgn"] & 0x7FFF_FFFF);
    }

    [Fact]
    public async Task ExecuteAsync_PluginKilledBySignal_ReportsShellStyleStatus()
    {
        var plugin = Stub("killed", "echo dying >&2\nkill -TERM $$");

        var error = await Assert.ThrowsAsync<CniException>(() => new ProcessPluginExecutor().ExecuteAsync(Invocation(plugin), CancellationToken.None));

        Assert.Equal("plugin \"killed\" (network \"net-a\") failed on ADD: exit status 143: dying", error.Message);
    }

    [Fact]
    public async Task ExecuteAsync_ExitedPlugin_IsReleasedOnlyOnceSettled()
    {
        var pidFile = Path.Combine(_dir, "pid");
        var plugin = Stub("quick", $"echo $$ > {pidFile}");
        DeferredReaper.ReapAll();

        await new ProcessPluginExecutor(new ProcessPluginExecutorOptions { WaitOnCallingThread = true }).ExecuteAsync(Invocation(plugin), CancellationToken.None);

        var pid = ReadPid(pidFile);
        Assert.Equal("Z", State(pid));
        Assert.Equal(1, DeferredReaper.Pending);
        DeferredReaper.ReapAll();
        Assert.Null(State(pid));
        Assert.Equal(0, DeferredReaper.Pending);
    }

    [Fact]
    public async Task ExecuteAsync_NextPluginHandedOver_ReleasesTheSettledOne()
    {
        var executor = new ProcessPluginExecutor(new ProcessPluginExecutorOptions { WaitOnCallingThread = true });
        var first = Path.Combine(_dir, "first.pid");
        var second = Path.Combine(_dir, "second.pid");
        DeferredReaper.ReapAll();

        await executor.ExecuteAsync(Invocation(Stub("first", $"echo $$ > {first}")), CancellationToken.None);
        await Task.Delay(DeferredReaper.SettleTime * 3);
        await executor.ExecuteAsync(Invocation(Stub("second", $"echo $$ > {second}")), CancellationToken.None);

        Assert.Null(State(ReadPid(first)));
        Assert.Equal("Z", State(ReadPid(second)));
        DeferredReaper.ReapAll();
    }

    [Fact]
    public async Task ExecuteAsync_InBackgroundScope_ReleasesWithoutBeingAsked()
    {
        var pidFile = Path.Combine(_dir, "pid");
        DeferredReaper.ReapAll();
        int pid;
        using (DeferredReaper.ReapInBackground())
        {
            await new ProcessPluginExecutor().ExecuteAsync(Invocation(Stub("quick", $"echo $$ > {pidFile}")), CancellationToken.None);
            pid = ReadPid(pidFile);

            await WaitUntilAsync(() => State(pid) is null);
        }
        Assert.Equal(0, DeferredReaper.Pending);

        // Outside the scope the reaper releases nothing behind the caller's back. Its own count says so: once (in ~20 runs of
        // the whole suite under load) the child was gone from /proc all the same, with nothing of the reaper's to explain it.
        await new ProcessPluginExecutor().ExecuteAsync(Invocation(Stub("later", $"echo $$ > {pidFile}")), CancellationToken.None);
        pid = ReadPid(pidFile);
        await Task.Delay(DeferredReaper.SettleTime * 3);
        Assert.Equal(1, DeferredReaper.Pending);
        DeferredReaper.ReapAll();
        Assert.Equal(0, DeferredReaper.Pending);
        Assert.Null(State(pid));
    }

    [Fact]
    public async Task ExecuteAsync_PluginKilledAtTimeout_IsReleasedAtOnce()
    {
        var pidFile = Path.Combine(_dir, "pid");
        var plugin = Stub("sleeper", $"echo $$ > {pidFile}\nexec sleep 600");
        var executor = new ProcessPluginExecutor(new ProcessPluginExecutorOptions { Timeout = HangTimeout });
        DeferredReaper.ReapAll();

        await Assert.ThrowsAsync<CniException>(() => executor.ExecuteAsync(Invocation(plugin), CancellationToken.None));

        Assert.Null(State(ReadPid(pidFile)));
        Assert.Equal(0, DeferredReaper.Pending);
    }

    [Fact]
    public async Task ExecuteAsync_SigchldIgnored_IoErrorSayingSoNotAHang()
    {
        var plugin = Stub("quick", "exit 0");
        var ignore = new byte[SigactionBytes];
        var saved = new byte[SigactionBytes];
        ignore[0] = 1;   // sa_handler = SIG_IGN, no flags, empty mask
        Assert.Equal(0, sigaction(Sigchld, ignore, saved));
        CniException error;
        try
        {
            error = await Assert.ThrowsAsync<CniException>(() =>
                new ProcessPluginExecutor(new ProcessPluginExecutorOptions { Timeout = TimeSpan.FromSeconds(20) }).ExecuteAsync(Invocation(plugin), CancellationToken.None));
        }
        finally
        {
            sigaction(Sigchld, saved, new byte[SigactionBytes]);
        }

        Assert.Equal(CniErrorCode.IoFailure, error.Code);
        Assert.Contains("SIGCHLD is ignored in this process", error.Message);
        Assert.Contains("SIG_IGN", error.Details);
    }

    // struct sigaction of glibc on x86-64 and arm64 is 152 bytes; a larger buffer is harmless.
    private const int SigactionBytes = 256;
    private const int Sigchld = 17;

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern int sigaction(int signal, byte[] action, byte[] previous);

    private PluginInvocation Invocation(string plugin) => new()
    {
        PluginPath = plugin,
        Command = "ADD",
        ContainerId = "c1",
        NetnsPath = "/run/netns/p",
        IfName = "net1",
        Args = CniArgs.Parse("K=V"),
        PluginDirs = [_dir],
        NetworkName = "net-a",
    };

    private string Stub(string name, string body)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private static int ReadPid(string file) => int.Parse(File.ReadAllText(file).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The process's state letter from /proc (Z: exited, not released by its parent); null once it is gone.</summary>
    private static string? State(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private static bool IsAlive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        // A zombie has exited; only its parent has not collected it yet.
        return File.Exists(stat) && File.ReadAllText(stat).Split(' ')[2] != "Z";
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(20, giveUp.Token);
        }
    }
}
