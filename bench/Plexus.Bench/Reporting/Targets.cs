namespace Plexus.Bench.Reporting;

/// <summary>The targets of issues 6 and 8, each turning a row's figures into a <see cref="TargetCheck"/>.</summary>
internal static class Targets
{
    private const double KiBPerMiB = 1024;

    /// <summary>Candidate median at most <paramref name="max"/> × the baseline's (times: lower is better).</summary>
    public static Func<BenchRow, TargetCheck?> RatioAtMost(double max) =>
        row => row.Ratio is { } ratio ? new TargetCheck($"≤ {max:0.##}× baseline", ratio <= max) : null;

    /// <summary>Candidate median at least <paramref name="min"/> × the baseline's (rates: higher is better).</summary>
    public static Func<BenchRow, TargetCheck?> RatioAtLeast(double min) =>
        row => row.Ratio is { } ratio ? new TargetCheck($"≥ {min:0.##}× baseline", ratio >= min) : null;

    /// <summary>Ratio and the candidate's peak RSS together (the VERSION target).</summary>
    public static Func<BenchRow, TargetCheck?> RatioAndPeakRss(double maxRatio, double maxMiB) => row =>
        row.Ratio is { } ratio && row.Candidate?.PeakRssKiB is { } peak
            ? new TargetCheck($"≤ {maxRatio:0.##}× baseline, ≤ {maxMiB:0.#} MiB peak", ratio <= maxRatio && peak / KiBPerMiB <= maxMiB)
            : null;

    /// <summary>Candidate median minus baseline median at most <paramref name="max"/> (in the row's unit).</summary>
    public static Func<BenchRow, TargetCheck?> OverheadAtMost(double max) =>
        row => row.Difference is { } difference ? new TargetCheck($"overhead ≤ {max:0.##} {row.Unit}", difference <= max) : null;

    /// <summary>Candidate median at most <paramref name="max"/> in the row's unit (counts).</summary>
    public static Func<BenchRow, TargetCheck?> ValueAtMost(double max) =>
        row => row.Candidate is { } c ? new TargetCheck($"≤ {max:0.##} {row.Unit}", c.Value.Median <= max) : null;

    public static Func<BenchRow, TargetCheck?> P99Below(double max) =>
        row => row.Candidate is { } c ? new TargetCheck($"p99 < {max:0.##} {row.Unit}", c.Value.P99 < max) : null;

    /// <summary>The settled resident set of a daemon (VmRSS after its caches synced).</summary>
    public static Func<BenchRow, TargetCheck?> RssAtMost(double maxMiB) =>
        row => row.Candidate?.RssKiB is { } rss ? new TargetCheck($"RSS ≤ {maxMiB:0.#} MiB", rss / KiBPerMiB <= maxMiB) : null;

    public static BenchRow Apply(this BenchRow row, Func<BenchRow, TargetCheck?>? target) =>
        target is null || row.Error is not null ? row : row with { Target = target(row) };
}
