using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Plexus.Cni.IO;

namespace Plexus.NodeAgent.IO;

/// <summary>
/// One Plexus agent at a time changes a conf dir: <c>config watch</c> (for its whole run), a one-shot
/// <c>config generate</c>, <c>doctor --fix</c> and plexusd's <c>generateConfig</c> all take an exclusive
/// <c>flock</c> on <c>&lt;conf-dir&gt;/plexus.d/agent.lock</c>. Two agents with different settings would
/// otherwise rewrite each other's config for ever, and each one's stray-file cleanup would delete the other's
/// temp file mid-write. The lock sits in Plexus's own subdir, which no runtime loads (they read only the conf
/// dir's own <c>.conf</c>/<c>.conflist</c>/<c>.json</c> files) and whose changes the conf dir's watch does not
/// hear. The kernel releases it when the holder dies, however it dies; the lock file itself stays, since
/// unlinking a file others may be waiting on would let two agents lock two different files.
/// </summary>
public sealed partial class ConfDirLock : IDisposable
{
    public const string DirName = "plexus.d";
    public const string LockFileName = "agent.lock";

    /// <summary>Who holds the lock, for the message of an agent that finds it taken (written after taking it).</summary>
    public const string OwnerFileName = "agent.owner";

    private const UnixFileMode DirMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly SafeFileHandle _handle;
    private readonly string _ownerPath;

    private ConfDirLock(SafeFileHandle handle, string ownerPath)
    {
        _handle = handle;
        _ownerPath = ownerPath;
    }

    /// <summary>The lock file of <paramref name="confDir"/>.</summary>
    public static string PathOf(string confDir) => Path.Combine(Path.GetFullPath(confDir), DirName, LockFileName);

    /// <summary>
    /// Takes the lock without waiting; null (and who holds it in <paramref name="holder"/>) when another agent has it.
    /// <paramref name="purpose"/> says what this process does with it, for the message of the next one.
    /// </summary>
    /// <exception cref="IOException">The lock file cannot be created or locked (a missing or read-only conf dir).</exception>
    /// <exception cref="UnauthorizedAccessException">No permission to create or open the lock file.</exception>
    public static ConfDirLock? TryAcquire(string confDir, string purpose, TimeProvider time, out string holder)
    {
        var lockPath = PathOf(confDir);
        var dir = Path.GetDirectoryName(lockPath)!;
        if (!Directory.Exists(dir))
        {
            // Never the conf dir itself: one made here would be the wrong one, with the wrong mode.
            if (!Directory.Exists(confDir))
            {
                throw new DirectoryNotFoundException($"cannot create the agent lock file {lockPath}: conf dir {confDir} does not exist");
            }
            Directory.CreateDirectory(dir, DirMode);
        }
        // Read-only is enough for flock, so a read-only conf dir whose lock file exists still gets as far as the write
        // that fails and says so.
        var fd = Native.open(lockPath, Native.O_RDONLY | Native.O_CREAT | Native.O_CLOEXEC, (uint)FileMode);
        if (fd < 0)
        {
            throw Failure("create the agent lock file", lockPath, Marshal.GetLastPInvokeError());
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (Native.flock(fd, Native.LOCK_EX | Native.LOCK_NB) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            handle.Dispose();
            if (errno != Native.EWOULDBLOCK)
            {
                throw Failure("lock", lockPath, errno);
            }
            holder = Owner(Path.Combine(dir, OwnerFileName));
            return null;
        }
        holder = "";
        var ownerPath = Path.Combine(dir, OwnerFileName);
        RecordOwner(ownerPath, purpose, time);
        return new ConfDirLock(handle, ownerPath);
    }

    /// <summary>What a one-shot command that found the lock taken says (it does not wait: the holder may never stop).</summary>
    public static string Taken(string confDir, string holder, string command) =>
        $"another Plexus agent is keeping {confDir} current ({holder}); {command} would fight it over the config: " +
        "stop that agent first, or leave the work to it";

    /// <summary>
    /// Waits for the lock, trying again every <paramref name="retry"/>: an agent that starts while another still runs
    /// (a DaemonSet rollout starting the new pod before the old one has stopped, or plexusd taking over from a thin
    /// DaemonSet) takes over when the other stops instead of crash-looping into a growing restart back-off. Says once who
    /// holds it (again when the holder changes), and what failed when the lock file cannot be made.
    /// </summary>
    public static async Task<ConfDirLock> AcquireAsync(
        string confDir, string purpose, AgentLog log, TimeSpan retry, TimeProvider time, CancellationToken cancellationToken)
    {
        var reported = "";
        // Tried once even when already cancelled: a stop signal that comes first still lets a free lock be taken and the
        // caller's one pass run, as it did before there was a lock.
        while (true)
        {
            string report;
            try
            {
                if (TryAcquire(confDir, purpose, time, out var holder) is { } taken)
                {
                    if (reported.Length > 0)
                    {
                        log.Info($"took the agent lock {PathOf(confDir)}; now keeping {confDir} current");
                    }
                    return taken;
                }
                report = $"another Plexus agent holds {PathOf(confDir)} ({holder}); waiting for it to stop before changing {confDir} " +
                    "(two agents would rewrite each other's config for ever: run config watch or plexusd's generateConfig, not both)";
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                report = $"{e.Message}; the agent cannot change {confDir} until it can (the conf dir must be a writable directory); retrying every {retry.TotalSeconds:0.###} s";
            }
            if (report != reported)
            {
                log.Warn(report);
                reported = report;
            }
            await Task.Delay(retry, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Releases the lock; the owner record goes first, while no other agent can be writing its own. Unlocked explicitly,
    /// not just closed: a child this process forked keeps a copy of the descriptor until it execs, and the lock would
    /// stay with that copy (plexusd spawns delegates all the time).
    /// </summary>
    public void Dispose()
    {
        try
        {
            File.Delete(_ownerPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A stale record only misnames the holder in a later waiter's message; the lock is what matters.
        }
        _ = Native.flock((int)_handle.DangerousGetHandle(), Native.LOCK_UN);
        _handle.Dispose();
    }

    /// <summary>
    /// Best effort: the record only names the holder for others, and a full disk must not stop an agent whose config
    /// needs no write. A record that cannot be written is removed, so no waiter blames a process that is gone.
    /// </summary>
    private static void RecordOwner(string ownerPath, string purpose, TimeProvider time)
    {
        var process = Path.GetFileName(Environment.ProcessPath) ?? "unknown process";
        var since = time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        try
        {
            AtomicFile.WriteAllText(ownerPath, $"{process} pid {Environment.ProcessId} on host {Environment.MachineName}, {purpose}, since {since}", FileMode);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(ownerPath);
            }
            catch (Exception again) when (again is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    private static string Owner(string ownerPath)
    {
        try
        {
            return "held by " + File.ReadAllText(ownerPath).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"holder not recorded in {ownerPath}";
        }
    }

    // The exception types FileStream throws for the same errors, so callers tell a permission problem from other failures.
    private static Exception Failure(string what, string path, int errno)
    {
        var message = $"cannot {what} {path}: {Marshal.GetPInvokeErrorMessage(errno)}";
        return errno is Native.EACCES or Native.EPERM ? new UnauthorizedAccessException(message) : new IOException(message, errno);
    }

    private static partial class Native
    {
        public const int EPERM = 1;
        public const int EACCES = 13;
        public const int EWOULDBLOCK = 11;
        public const int O_RDONLY = 0;
        public const int O_CREAT = 0x40;
        public const int O_CLOEXEC = 0x80000;
        public const int LOCK_EX = 2;
        public const int LOCK_NB = 4;
        public const int LOCK_UN = 8;

        [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
        public static partial int open(string path, int flags, uint mode);

        [LibraryImport("libc", SetLastError = true)]
        public static partial int flock(int fd, int operation);
    }
}
