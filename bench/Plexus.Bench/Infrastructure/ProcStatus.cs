using System.Globalization;

namespace Plexus.Bench.Infrastructure;

/// <summary>Resident set now and at its peak, from <c>/proc/PID/status</c> (kB there means KiB).</summary>
internal sealed record ProcStatus(long VmRssKiB, long VmHwmKiB)
{
    public static ProcStatus Parse(string status)
    {
        long? rss = null, hwm = null;
        foreach (var line in status.Split('\n'))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kib(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                hwm = Kib(line);
            }
        }
        return rss is { } r && hwm is { } h
            ? new ProcStatus(r, h)
            : throw new FormatException("no VmRSS/VmHWM lines in the process status (kernel thread or exited process?)");
    }

    public static ProcStatus Read(int pid) => Parse(File.ReadAllText($"/proc/{pid}/status"));

    private static long Kib(string line)
    {
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length == 3 && fields[2] == "kB"
            ? long.Parse(fields[1], CultureInfo.InvariantCulture)
            : throw new FormatException($"unexpected status line '{line}'");
    }
}
