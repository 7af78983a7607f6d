using System.ComponentModel;
using System.Runtime.InteropServices;
using static Plexus.Cni.Invoke.SpawnNative;

namespace Plexus.Cni.Invoke;

/// <summary>
/// A plugin child process started with posix_spawn: stdin, stdout and stderr on pipes, its own
/// process group (a kill also reaches the IPAM plugin it started) and every signal at its default
/// (the runtime ignores SIGPIPE, a plugin must not inherit that). Its pipes and its exit are
/// driven by poll on the calling thread, so a one-shot CNI process needs no thread pool, no
/// SIGCHLD thread and no epoll thread to run a delegate.
/// </summary>
internal sealed unsafe class PluginProcess : IDisposable
{
    private readonly int _pid;
    private int _pidfd;
    private int _stdin;
    private int _stdout;
    private int _stderr;
    private bool _exited;

    private PluginProcess(int pid, int stdin, int stdout, int stderr)
    {
        _pid = pid;
        _stdin = stdin;
        _stdout = stdout;
        _stderr = stderr;
        // Without pidfd (kernels before 5.3) the exit is polled with WNOHANG instead.
        _pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    }

    /// <summary>
    /// Starts <paramref name="path"/> with <paramref name="arguments"/> after it and exactly <paramref name="environment"/>;
    /// a path without a slash is looked up in this process's PATH, as execvp does. A failed exec is a
    /// <see cref="Win32Exception"/> with its errno. Strings must hold no NUL (C strings end there).
    /// </summary>
    public static PluginProcess Start(string path, IEnumerable<KeyValuePair<string, string>> environment, IReadOnlyList<string>? arguments = null)
    {
        var pipes = stackalloc int[6];
        for (var i = 0; i < 3; i++)
        {
            if (pipe2(pipes + 2 * i, O_CLOEXEC) != 0)
            {
                var error = Error("pipe2");
                CloseAll(pipes, 2 * i);
                throw error;
            }
        }
        using var strings = new NativeStrings();
        var argv = strings.Array([path, .. arguments ?? []]);
        var envp = strings.Array(environment.Select(pair => $"{pair.Key}={pair.Value}"));
        var actions = stackalloc byte[OpaqueStructBytes];
        var attributes = stackalloc byte[OpaqueStructBytes];
        var signals = stackalloc byte[OpaqueStructBytes];
        posix_spawn_file_actions_init(actions);
        posix_spawnattr_init(attributes);
        try
        {
            // Child ends onto 0/1/2; every other descriptor is O_CLOEXEC and closes on exec.
            posix_spawn_file_actions_adddup2(actions, pipes[0], 0);
            posix_spawn_file_actions_adddup2(actions, pipes[3], 1);
            posix_spawn_file_actions_adddup2(actions, pipes[5], 2);
            posix_spawnattr_setflags(attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
            posix_spawnattr_setpgroup(attributes, 0);
            sigfillset(signals);
            posix_spawnattr_setsigdefault(attributes, signals);
            sigemptyset(signals);
            posix_spawnattr_setsigmask(attributes, signals);
            int pid;
            var rc = path.Contains('/', StringComparison.Ordinal)
                ? posix_spawn(&pid, argv[0], actions, attributes, argv, envp)
                : posix_spawnp(&pid, argv[0], actions, attributes, argv, envp);
            close(pipes[0]);
            close(pipes[3]);
            close(pipes[5]);
            if (rc != 0)
            {
                close(pipes[1]);
                close(pipes[2]);
                close(pipes[4]);
                throw new Win32Exception(rc);
            }
            return new PluginProcess(pid, stdin: pipes[1], stdout: pipes[2], stderr: pipes[4]);
        }
        finally
        {
            posix_spawnattr_destroy(attributes);
            posix_spawn_file_actions_destroy(actions);
        }
    }

    /// <summary>
    /// Writes <paramref name="stdin"/> and collects stdout and stderr until the plugin closes both.
    /// Returns false when <paramref name="limit"/> is reached first (deadline or cancellation).
    /// </summary>
    public bool Communicate(ReadOnlySpan<byte> stdin, WaitLimit limit, MemoryStream stdout, MemoryStream stderr)
    {
        if (stdin.IsEmpty)
        {
            Close(ref _stdin);
        }
        var written = 0;
        var buffer = stackalloc byte[16384];
        var fds = stackalloc PollFd[4];
        while (_stdout >= 0 || _stderr >= 0)
        {
            var count = 0;
            fds[count++] = new PollFd { Fd = limit.WakeFd, Events = POLLIN };
            fds[count++] = new PollFd { Fd = _stdin, Events = POLLOUT };
            fds[count++] = new PollFd { Fd = _stdout, Events = POLLIN };
            fds[count++] = new PollFd { Fd = _stderr, Events = POLLIN };
            // poll ignores negative descriptors, so closed pipes simply drop out of the set.
            if (limit.Reached(Poll(fds, count, limit.RemainingMilliseconds(), "poll on the plugin's pipes"), fds[0]))
            {
                return false;
            }
            if (fds[1].Revents != 0)
            {
                written = WriteStdin(stdin, written, fds[1].Revents);
            }
            Drain(ref _stdout, fds[2].Revents, buffer, stdout);
            Drain(ref _stderr, fds[3].Revents, buffer, stderr);
        }
        // A plugin that closed its output without reading all of its input gets EOF on the rest.
        Close(ref _stdin);
        return true;
    }

    /// <summary>
    /// <see cref="Communicate"/> and <see cref="WaitForExit"/> under one limit of <paramref name="timeout"/> (or until
    /// <paramref name="cancellationToken"/>): a child it left holding the pipes counts against the limit too. False, with
    /// the whole process group killed, when the limit is reached first.
    /// </summary>
    public bool Finish(ReadOnlySpan<byte> stdin, TimeSpan timeout, MemoryStream stdout, MemoryStream stderr, out int exitCode, CancellationToken cancellationToken)
    {
        using var wake = new WakeSignal();
        using var registration = cancellationToken.Register(static w => ((WakeSignal)w!).Set(), wake);
        var limit = WaitLimit.After(timeout, wake);
        if (Communicate(stdin, limit, stdout, stderr) && WaitForExit(limit, out exitCode))
        {
            return true;
        }
        Kill();
        exitCode = -1;
        return false;
    }

    /// <summary>
    /// Waits for the plugin to exit; false when <paramref name="limit"/> is reached first. The exited plugin is left to
    /// <see cref="DeferredReaper"/> to release.
    /// </summary>
    public bool WaitForExit(WaitLimit limit, out int exitCode)
    {
        var fds = stackalloc PollFd[2];
        while (!HasExited(out exitCode))
        {
            fds[0] = new PollFd { Fd = limit.WakeFd, Events = POLLIN };
            fds[1] = new PollFd { Fd = _pidfd, Events = POLLIN };
            var remaining = limit.RemainingMilliseconds();
            if (limit.Reached(Poll(fds, 2, _pidfd >= 0 ? remaining : Math.Min(remaining, 2), "poll for the plugin's exit"), fds[0]))
            {
                return false;
            }
        }
        _exited = true;
        DeferredReaper.Add(_pid);
        return true;
    }

    /// <summary>Kills the plugin's whole process group (it and the plugins it started).</summary>
    public void Kill()
    {
        if (!_exited)
        {
            kill(-_pid, SIGKILL);
            kill(_pid, SIGKILL);
        }
    }

    public void Dispose()
    {
        Close(ref _stdin);
        Close(ref _stdout);
        Close(ref _stderr);
        if (!_exited)
        {
            Kill();
            int status;
            while (waitpid(_pid, &status, 0) < 0 && Marshal.GetLastPInvokeError() == EINTR)
            {
            }
            _exited = true;
        }
        Close(ref _pidfd);
    }

    /// <summary>The plugin's exit status once it has exited, read without releasing it (<c>WNOWAIT</c>).</summary>
    private bool HasExited(out int exitCode)
    {
        exitCode = -1;
        var info = stackalloc byte[SigInfoBytes];
        new Span<byte>(info, SigInfoBytes).Clear();
        while (waitid(P_PID, _pid, info, WEXITED | WNOHANG | WNOWAIT) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == ECHILD)
            {
                // The kernel released it on its own: SIGCHLD is ignored in this process, so no exit status is kept.
                throw CniException.Io($"the exit status of plugin process {_pid} is gone: SIGCHLD is ignored in this process",
                    "whatever started this process (the container runtime, a wrapper script) set SIGCHLD to SIG_IGN; start it with the default disposition");
            }
            if (errno != EINTR)
            {
                throw Error($"waitid for plugin process {_pid}", errno);
            }
        }
        if (*(int*)(info + SigInfoPidOffset) == 0)
        {
            return false;
        }
        // As the shell reports it: the exit status, or 128 + the signal that ended the plugin.
        var status = *(int*)(info + SigInfoStatusOffset);
        exitCode = *(int*)(info + SigInfoCodeOffset) == CLD_EXITED ? status & 0xff : 128 + status;
        return true;
    }

    private int WriteStdin(ReadOnlySpan<byte> stdin, int written, short revents)
    {
        if ((revents & POLLOUT) == 0)
        {
            // The plugin closed its stdin (POLLERR/POLLHUP): what it did not read does not matter.
            Close(ref _stdin);
            return written;
        }
        var chunk = Math.Min(PIPE_BUF, stdin.Length - written);
        nint n;
        fixed (byte* data = stdin[written..])
        {
            n = write(_stdin, data, (nuint)chunk);
        }
        if (n < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno is not (EINTR or EAGAIN))
            {
                Close(ref _stdin);
            }
            return written;
        }
        written += (int)n;
        if (written == stdin.Length)
        {
            Close(ref _stdin);
        }
        return written;
    }

    private static void Drain(ref int fd, short revents, byte* buffer, MemoryStream sink)
    {
        if (revents == 0 || fd < 0)
        {
            return;
        }
        var n = read(fd, buffer, 16384);
        if (n > 0)
        {
            sink.Write(new ReadOnlySpan<byte>(buffer, (int)n));
        }
        else if (n == 0 || Marshal.GetLastPInvokeError() is not (EINTR or EAGAIN))
        {
            Close(ref fd);
        }
    }

    /// <summary>poll with EINTR counted as "nothing ready yet"; returns the number of ready descriptors.</summary>
    private static int Poll(PollFd* fds, int count, int timeoutMilliseconds, string what)
    {
        var ready = poll(fds, (nuint)count, timeoutMilliseconds);
        if (ready >= 0)
        {
            return ready;
        }
        var errno = Marshal.GetLastPInvokeError();
        return errno == EINTR ? 0 : throw Error(what, errno);
    }

    private static void Close(ref int fd)
    {
        if (fd >= 0)
        {
            close(fd);
            fd = -1;
        }
    }

    private static void CloseAll(int* fds, int count)
    {
        for (var i = 0; i < count; i++)
        {
            close(fds[i]);
        }
    }
}
