using System.Diagnostics;
using Plexus.NodeAgent.IO;
using Plexus.Testing;

namespace Plexus.NodeAgent.Tests.IO;

public sealed partial class ConfDirLockTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly StringWriter _log = new();

    public void Dispose() => _temp.Dispose();

    [System.Runtime.InteropServices.LibraryImport("libc")]
    private static partial int dup(int fd);

    [System.Runtime.InteropServices.LibraryImport("libc")]
    private static partial int close(int fd);

    private string ConfDir => _temp.Sub("net.d");

    private string OwnerPath => Path.Combine(ConfDir, ConfDirLock.DirName, ConfDirLock.OwnerFileName);

    [Fact]
    public void TryAcquire_Free_TakenWithTheOwnerRecordedOnlyWhileHeld()
    {
        using (var taken = ConfDirLock.TryAcquire(ConfDir, "config watch", TimeProvider.System, out var holder))
        {
            Assert.NotNull(taken);
            Assert.Equal("", holder);
            var owner = File.ReadAllText(OwnerPath);
            Assert.Contains($"pid {Environment.ProcessId} on host {Environment.MachineName}, config watch, since ", owner, StringComparison.Ordinal);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(OwnerPath));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(OwnerPath)!));
        }

        Assert.False(File.Exists(OwnerPath));
        Assert.True(File.Exists(ConfDirLock.PathOf(ConfDir)));
        // Nothing in the conf dir itself that a runtime could load or Plexus would judge.
        Assert.Empty(Directory.GetFiles(ConfDir));
    }

    [Fact]
    public void TryAcquire_HeldInThisProcess_RefusedNamingTheHolderUntilReleased()
    {
        var first = ConfDirLock.TryAcquire(ConfDir, "config watch", TimeProvider.System, out _);

        Assert.Null(ConfDirLock.TryAcquire(ConfDir, "config generate", TimeProvider.System, out var holder));
        Assert.Contains($"held by {Path.GetFileName(Environment.ProcessPath)} pid {Environment.ProcessId}", holder, StringComparison.Ordinal);
        Assert.Contains("config watch", holder, StringComparison.Ordinal);

        first!.Dispose();
        using var second = ConfDirLock.TryAcquire(ConfDir, "config generate", TimeProvider.System, out _);
        Assert.NotNull(second);
    }

    [Fact]
    public void TryAcquire_HeldByAnotherProcessWithoutARecord_RefusedThenTakenOnceItExits()
    {
        Directory.CreateDirectory(Path.Combine(ConfDir, ConfDirLock.DirName));
        var lockPath = ConfDirLock.PathOf(ConfDir);
        var ready = Path.Combine(_temp.Path, "locked");
        // util-linux flock(1) takes the same flock(2) lock, then waits for its stdin to close.
        using var other = Process.Start(new ProcessStartInfo("flock", ["--exclusive", lockPath, "sh", "-c", $"touch {ready}; cat >/dev/null"])
        {
            RedirectStandardInput = true,
        })!;
        try
        {
            Eventually.True(() => File.Exists(ready), "flock(1) holds the lock");

            Assert.Null(ConfDirLock.TryAcquire(ConfDir, "config generate", TimeProvider.System, out var holder));
            Assert.Equal($"holder not recorded in {OwnerPath}", holder);
        }
        finally
        {
            other.StandardInput.Close();
            Assert.True(other.WaitForExit(Eventually.Limit), "flock(1) did not exit");
        }
        using var taken = ConfDirLock.TryAcquire(ConfDir, "config generate", TimeProvider.System, out _);
        Assert.NotNull(taken);
    }

    [Fact]
    public void Dispose_ACopyOfTheDescriptorStillOpen_ReleasedAnyway()
    {
        var held = ConfDirLock.TryAcquire(ConfDir, "config watch", TimeProvider.System, out _)!;
        // What a child forked while the lock is held keeps until it execs (plexusd spawns delegates all the time).
        var copy = dup(OpenDescriptors.List().Single(open => open.Target == ConfDirLock.PathOf(ConfDir)).Fd);
        try
        {
            held.Dispose();

            using var next = ConfDirLock.TryAcquire(ConfDir, "config generate", TimeProvider.System, out var holder);
            Assert.True(next is not null, holder);
        }
        finally
        {
            Assert.Equal(0, close(copy));
        }
    }

    [Fact]
    public void TryAcquire_StaleRecordOfAKilledHolder_TakenAndRecordReplaced()
    {
        Directory.CreateDirectory(Path.Combine(ConfDir, ConfDirLock.DirName));
        File.WriteAllText(OwnerPath, "plexus pid 4242 on host gone, config watch, since 2020-01-01T00:00:00Z");

        using var taken = ConfDirLock.TryAcquire(ConfDir, "config watch", TimeProvider.System, out _);

        Assert.NotNull(taken);
        Assert.Contains($"pid {Environment.ProcessId} ", File.ReadAllText(OwnerPath), StringComparison.Ordinal);
    }

    [Fact]
    public void TryAcquire_ConfDirMissing_ThrowsNamingItAndCreatesNothing()
    {
        var missing = Path.Combine(_temp.Path, "no-such-dir");

        var error = Assert.Throws<DirectoryNotFoundException>(() => ConfDirLock.TryAcquire(missing, "config watch", TimeProvider.System, out _));

        Assert.Contains($"conf dir {missing} does not exist", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public void TryAcquire_LockPathIsADirectory_ThrowsNamingIt()
    {
        Directory.CreateDirectory(ConfDirLock.PathOf(ConfDir));

        var error = Assert.ThrowsAny<IOException>(() => ConfDirLock.TryAcquire(ConfDir, "config watch", TimeProvider.System, out _));

        Assert.Contains($"cannot create the agent lock file {ConfDirLock.PathOf(ConfDir)}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcquireAsync_Held_WaitsSayingWhoHoldsItThenTakesItOnceReleased()
    {
        var first = ConfDirLock.TryAcquire(ConfDir, "config watch", TimeProvider.System, out _)!;
        var waiting = ConfDirLock.AcquireAsync(ConfDir, "plexusd generateConfig", new AgentLog(_log, TimeProvider.System),
            TimeSpan.FromMilliseconds(20), TimeProvider.System, CancellationToken.None);

        Eventually.True(() => _log.ToString().Contains("config watch, since", StringComparison.Ordinal), "the waiter names the holder");
        Assert.False(waiting.IsCompleted);
        first.Dispose();

        using var taken = await waiting.WaitAsync(Eventually.Limit);
        Assert.Contains("plexusd generateConfig", File.ReadAllText(OwnerPath), StringComparison.Ordinal);
        Assert.Contains("took the agent lock", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcquireAsync_CancelledWhileWaiting_ThrowsAndLeavesTheHolderAlone()
    {
        using var first = ConfDirLock.TryAcquire(ConfDir, "config watch", TimeProvider.System, out _)!;
        using var stop = new CancellationTokenSource();
        var waiting = ConfDirLock.AcquireAsync(ConfDir, "config watch", new AgentLog(_log, TimeProvider.System),
            TimeSpan.FromMilliseconds(20), TimeProvider.System, stop.Token);
        Eventually.True(() => _log.ToString().Contains("waiting for it to stop", StringComparison.Ordinal), "the waiter waits");

        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Eventually.Limit));
        Assert.Contains("config watch", File.ReadAllText(OwnerPath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcquireAsync_ConfDirMissing_SaysWhatFailedAndTakesItOnceTheDirExists()
    {
        var confDir = Path.Combine(_temp.Path, "late");
        var waiting = ConfDirLock.AcquireAsync(confDir, "config watch", new AgentLog(_log, TimeProvider.System),
            TimeSpan.FromMilliseconds(20), TimeProvider.System, CancellationToken.None);
        Eventually.True(() => _log.ToString().Contains($"conf dir {confDir} does not exist", StringComparison.Ordinal), "the failure is said");

        Directory.CreateDirectory(confDir);

        using var taken = await waiting.WaitAsync(Eventually.Limit);
        Assert.True(File.Exists(ConfDirLock.PathOf(confDir)));
    }
}
