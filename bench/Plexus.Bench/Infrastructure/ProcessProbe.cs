using System.Runtime.InteropServices;

namespace Plexus.Bench.Infrastructure;

/// <summary>One finished child process: exit code, wall time, peak RSS (KiB, when measured) and stdout.</summary>
internal sealed record ProcessSample(int ExitCode, double WallMs, long PeakRssKiB, string Stdout);

/// <summary>What a probe run records besides wall time.</summary>
internal enum ProbeMode
{
    /// <summary>Spawn the command directly: the wall time is the command's alone.</summary>
    WallTime,

    /// <summary>
    /// Spawn it under /usr/bin/time: a child spawned straight from this large process inherits
    /// our address space until exec, and the kernel counts that in the child's peak RSS.
    /// </summary>
    PeakRss,
}

/// <summary>
/// Runs a command with posix_spawn and reaps it with wait4 (System.Diagnostics.Process would
/// add its own pipe pumping and thread hops to every sample).
/// stdin comes from a file and stdout goes to a file so no pipe pumping skews the timing.
/// </summary>
internal static unsafe partial class ProcessProbe
{
    private const int O_RDONLY = 0;
    private const int O_WRONLY = 1;
    private const int O_CREAT = 0x40;
    private const int O_TRUNC = 0x200;

    public static ProcessSample Run(ProbeMode mode, IReadOnlyList<string> argv, IReadOnlyDictionary<string, string> env, byte[] stdin)
    {
        var stdinPath = Path.GetTempFileName();
        var stdoutPath = Path.GetTempFileName();
        var rssPath = Path.GetTempFileName();
        try
        {
            if (mode == ProbeMode.PeakRss)
            {
                argv = ["/usr/bin/time", "-f", "%M", "-o", rssPath, .. argv];
            }
            File.WriteAllBytes(stdinPath, stdin);
            var actions = stackalloc byte[256];
            Check(posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
            try
            {
                Check(posix_spawn_file_actions_addopen(actions, 0, stdinPath, O_RDONLY, 0), "addopen stdin");
                Check(posix_spawn_file_actions_addopen(actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0x180), "addopen stdout");
                var sample = SpawnAndWait(actions, argv, env, stdoutPath);
                return mode == ProbeMode.PeakRss
                    ? sample with { PeakRssKiB = long.Parse(File.ReadAllLines(rssPath).Last(), System.Globalization.CultureInfo.InvariantCulture) }
                    : sample with { PeakRssKiB = 0 };
            }
            finally
            {
                posix_spawn_file_actions_destroy(actions);
            }
        }
        finally
        {
            File.Delete(stdinPath);
            File.Delete(stdoutPath);
            File.Delete(rssPath);
        }
    }

    private static ProcessSample SpawnAndWait(byte* actions, IReadOnlyList<string> argv, IReadOnlyDictionary<string, string> env, string stdoutPath)
    {
        var argvPtrs = ToNullTerminated(argv);
        var envPtrs = ToNullTerminated(env.Select(kv => kv.Key + "=" + kv.Value).ToList());
        try
        {
            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            int pid;
            Check(posix_spawn(&pid, argv[0], actions, null, argvPtrs, envPtrs), $"posix_spawn {argv[0]}");
            int status;
            if (waitpid(pid, &status, 0) != pid)
            {
                throw new InvalidOperationException($"waitpid failed for {argv[0]}: errno {Marshal.GetLastPInvokeError()}");
            }
            var wallMs = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            var exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
            return new ProcessSample(exitCode, wallMs, 0, File.ReadAllText(stdoutPath));
        }
        finally
        {
            Free(argvPtrs);
            Free(envPtrs);
        }
    }

    private static nint* ToNullTerminated(IReadOnlyList<string> items)
    {
        var array = (nint*)NativeMemory.Alloc((nuint)(items.Count + 1), (nuint)sizeof(nint));
        for (var i = 0; i < items.Count; i++)
        {
            array[i] = Marshal.StringToCoTaskMemUTF8(items[i]);
        }
        array[items.Count] = 0;
        return array;
    }

    private static void Free(nint* array)
    {
        for (var p = array; *p != 0; p++)
        {
            Marshal.FreeCoTaskMem(*p);
        }
        NativeMemory.Free(array);
    }

    private static void Check(int rc, string what)
    {
        if (rc != 0)
        {
            throw new InvalidOperationException($"{what} failed: error {rc}");
        }
    }

    [LibraryImport("libc")]
    private static partial int posix_spawn_file_actions_init(byte* actions);

    [LibraryImport("libc")]
    private static partial int posix_spawn_file_actions_destroy(byte* actions);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int posix_spawn_file_actions_addopen(byte* actions, int fd, string path, int flags, int mode);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int posix_spawn(int* pid, string path, byte* actions, void* attr, nint* argv, nint* envp);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int waitpid(int pid, int* status, int options);
}
