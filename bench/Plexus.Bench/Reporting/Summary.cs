namespace Plexus.Bench.Reporting;

/// <summary>Median, extremes and p99 of one side's samples (nearest-rank percentile, as latency SLOs quote it).</summary>
internal sealed record Summary(double Median, double Min, double Max, double P99, int Count)
{
    public static Summary Of(IEnumerable<double> samples)
    {
        var sorted = samples.Order().ToArray();
        if (sorted.Length == 0)
        {
            throw new ArgumentException("a summary needs at least one sample", nameof(samples));
        }
        return new Summary(MedianOf(sorted), sorted[0], sorted[^1], Percentile(sorted, 99), sorted.Length);
    }

    /// <summary>The mean of the two middle values for an even count.</summary>
    public static double MedianOf(IReadOnlyList<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;

    /// <summary>Nearest rank: the smallest sample with at least <paramref name="percent"/>% of the samples at or below it.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double percent)
    {
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }
}
