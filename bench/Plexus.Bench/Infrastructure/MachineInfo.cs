namespace Plexus.Bench.Infrastructure;

/// <summary>One line saying where the run happened: CPU, cores, memory, kernel and load at the start.</summary>
internal static class MachineInfo
{
    public static string Describe()
    {
        var cpu = ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        var memKiB = ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))?
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var mem = long.TryParse(memKiB, out var kib) ? $"{kib / 1024.0 / 1024.0:F1} GiB RAM" : "unknown RAM";
        var kernel = ReadLines("/proc/sys/kernel/osrelease").FirstOrDefault() ?? "unknown kernel";
        var load = ReadLines("/proc/loadavg").FirstOrDefault()?.Split(' ')[0] ?? "?";
        return $"{cpu}, {Environment.ProcessorCount} cores, {mem}, Linux {kernel}, load average {load} at start";
    }

    private static string[] ReadLines(string path) => File.Exists(path) ? File.ReadAllLines(path) : [];
}
