using System.Globalization;

namespace Plexus.Bench.Infrastructure;

/// <summary>
/// CPU a process used, from <c>/proc/PID/stat</c>: its own (user + system) and that of the children it
/// has waited for (the CNI processes the bench spawns, the delegates plexusd runs).
/// </summary>
internal readonly record struct CpuTimes(TimeSpan Self, TimeSpan Children)
{
    /// <summary>USER_HZ: the unit of the stat fields, 100 on every Linux ABI .NET runs on.</summary>
    private const double TicksPerSecond = 100;

    public static CpuTimes operator -(CpuTimes a, CpuTimes b) => new(a.Self - b.Self, a.Children - b.Children);

    public static CpuTimes operator +(CpuTimes a, CpuTimes b) => new(a.Self + b.Self, a.Children + b.Children);

    public static CpuTimes Parse(string stat)
    {
        // The command name (field 2) is in parentheses and may contain spaces or ')': fields restart after the last ')'.
        var close = stat.LastIndexOf(')');
        var fields = (close < 0 ? "" : stat[(close + 1)..]).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 15)
        {
            throw new FormatException("not a /proc/PID/stat line");
        }
        // fields[0] is field 3 (state); utime, stime, cutime, cstime are fields 14-17.
        TimeSpan Ticks(int field) => TimeSpan.FromSeconds(long.Parse(fields[field - 3], CultureInfo.InvariantCulture) / TicksPerSecond);
        return new CpuTimes(Ticks(14) + Ticks(15), Ticks(16) + Ticks(17));
    }

    public static CpuTimes Read(int pid) => Parse(File.ReadAllText($"/proc/{pid}/stat"));

    public static CpuTimes ReadSelf() => Parse(File.ReadAllText("/proc/self/stat"));
}
