using Plexus.Bench.Infrastructure;
using Plexus.Bench.Reporting;

namespace Plexus.Bench;

/// <summary>One measured operation: wall time and the largest peak RSS of the processes it ran.</summary>
internal readonly record struct Sample(double WallMs, long PeakRssKiB)
{
    public static Sample Of(params ProcessSample[] steps) =>
        new(steps.Sum(s => s.WallMs), steps.Max(s => s.PeakRssKiB));
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
    Func<ProbeMode, Sample> Baseline,
    Func<BenchRow, TargetCheck?>? Target = null)
{
    private const int RssRuns = 3;

    public BenchRow Run(int iterations, int warmup)
    {
        var walls = Alternation.Run(
            [() => Candidate(ProbeMode.WallTime).WallMs, () => Baseline(ProbeMode.WallTime).WallMs], iterations, warmup);
        var candidateRss = Enumerable.Range(0, RssRuns).Max(_ => Candidate(ProbeMode.PeakRss).PeakRssKiB);
        var baselineRss = Enumerable.Range(0, RssRuns).Max(_ => Baseline(ProbeMode.PeakRss).PeakRssKiB);
        return new BenchRow
        {
            Name = Name,
            Measures = Measures,
            Unit = "ms",
            Candidate = new Side(CandidateLabel, Summary.Of(walls[0]), candidateRss),
            Baseline = new Side(BaselineLabel, Summary.Of(walls[1]), baselineRss),
        }.Apply(Target);
    }
}
