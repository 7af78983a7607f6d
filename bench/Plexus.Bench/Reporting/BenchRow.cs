namespace Plexus.Bench.Reporting;

/// <summary>One measured side of a row: what ran, its summary in <see cref="BenchRow.Unit"/>, and memory.</summary>
/// <param name="PeakRssKiB">Largest peak RSS (VmHWM / ru_maxrss) of the processes measured.</param>
/// <param name="RssKiB">Resident set after the operation settled (long-running daemons only).</param>
/// <param name="HeapKiB">Managed heap then (the GC's total memory: the caches live there).</param>
internal sealed record Side(string Label, Summary Value, long? PeakRssKiB = null, long? RssKiB = null, long? HeapKiB = null);

/// <summary>Whether a row meets the target, with the target as text.</summary>
internal sealed record TargetCheck(string Text, bool Met);

/// <summary>
/// One line of the bench table: a candidate, optionally its baseline from the same run, and the
/// target it is held to. <see cref="Error"/> replaces the figures when the scenario failed.
/// </summary>
internal sealed record BenchRow
{
    public required string Name { get; init; }

    public required string Measures { get; init; }

    /// <summary>ms, pods/s, requests, …</summary>
    public required string Unit { get; init; }

    public Side? Candidate { get; init; }

    public Side? Baseline { get; init; }

    /// <summary>Show p99 next to the median (latency distributions with enough samples).</summary>
    public bool QuoteP99 { get; init; }

    public TargetCheck? Target { get; init; }

    public string? Error { get; init; }

    /// <summary>Candidate median over baseline median (for pods/s above 1 means faster, for ms slower).</summary>
    public double? Ratio => Candidate is { } c && Baseline is { } b && b.Value.Median != 0 ? c.Value.Median / b.Value.Median : null;

    public double? Difference => Candidate is { } c && Baseline is { } b ? c.Value.Median - b.Value.Median : null;

    public static BenchRow Failed(string name, string measures, string unit, Exception error) =>
        new() { Name = name, Measures = measures, Unit = unit, Error = $"{error.GetType().Name}: {error.Message}" };
}
