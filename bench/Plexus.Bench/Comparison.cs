namespace Plexus.Bench;

/// <summary>One measured operation: wall time and the largest peak RSS of the processes it ran.</summary>
internal readonly record struct Sample(double WallMs, long PeakRssKiB)
{
    public static Sample Of(params ProcessSample[] steps) =>
        new(steps.Sum(s => s.WallMs), steps.Max(s => s.PeakRssKiB));
}

/// <summary>Summary of one side of a comparison.</summary>
internal sealed record Distribution(double MedianMs, double MinMs, double MaxMs, long PeakRssKiB)
{
    public static Distribution Of(IReadOnlyList<Sample> samples, long peakRssKiB)
    {
        var walls = samples.Select(s => s.WallMs).Order().ToArray();
        return new Distribution(Median(walls), walls[0], walls[^1], peakRssKiB);
    }

    private static double Median(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

internal sealed record ComparisonResult(string Name, string Measures, string CandidateLabel, Distribution Candidate, string BaselineLabel, Distribution Baseline)
{
    public double WallRatio => Candidate.MedianMs / Baseline.MedianMs;

    public double OverheadMs => Candidate.MedianMs - Baseline.MedianMs;
}

/// <summary>
/// A candidate and its baseline, run alternately in the same run so machine noise hits both
/// alike; the ratio of medians is the figure to quote, absolute times vary between runs.
/// </summary>
internal sealed record Comparison(
    string Name,
    string Measures,
    string CandidateLabel,
    Func<ProbeMode, Sample> Candidate,
    string BaselineLabel,
    Func<ProbeMode, Sample> Baseline)
{
    private const int RssRuns = 3;

    public ComparisonResult Run(int iterations, int warmup)
    {
        for (var i = 0; i < warmup; i++)
        {
            Candidate(ProbeMode.WallTime);
            Baseline(ProbeMode.WallTime);
        }
        var candidateRss = Enumerable.Range(0, RssRuns).Max(_ => Candidate(ProbeMode.PeakRss).PeakRssKiB);
        var baselineRss = Enumerable.Range(0, RssRuns).Max(_ => Baseline(ProbeMode.PeakRss).PeakRssKiB);
        var candidate = new List<Sample>(iterations);
        var baseline = new List<Sample>(iterations);
        for (var i = 0; i < iterations; i++)
        {
            // Alternate which side goes first so neither always runs on a warmer cache.
            if (i % 2 == 0)
            {
                candidate.Add(Candidate(ProbeMode.WallTime));
                baseline.Add(Baseline(ProbeMode.WallTime));
            }
            else
            {
                baseline.Add(Baseline(ProbeMode.WallTime));
                candidate.Add(Candidate(ProbeMode.WallTime));
            }
        }
        return new ComparisonResult(
            Name, Measures,
            CandidateLabel, Distribution.Of(candidate, candidateRss),
            BaselineLabel, Distribution.Of(baseline, baselineRss));
    }
}
