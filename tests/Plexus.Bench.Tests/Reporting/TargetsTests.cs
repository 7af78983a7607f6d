using Plexus.Bench.Reporting;

namespace Plexus.Bench.Tests.Reporting;

public sealed class TargetsTests
{
    private static BenchRow Row(double candidate, double? baseline = null, long? peakKiB = null, long? rssKiB = null, string unit = "ms") => new()
    {
        Name = "r",
        Measures = "m",
        Unit = unit,
        Candidate = new Side("c", Summary.Of([candidate]), peakKiB, rssKiB),
        Baseline = baseline is { } b ? new Side("b", Summary.Of([b])) : null,
    };

    [Theory]
    [InlineData(12.0, 10.0, true)]
    [InlineData(12.1, 10.0, false)]
    public void RatioAtMost_AgainstBaseline(double candidate, double baseline, bool met)
    {
        var check = Row(candidate, baseline).Apply(Targets.RatioAtMost(1.2)).Target;

        Assert.Equal(met, check!.Met);
        Assert.Equal("≤ 1.2× baseline", check.Text);
    }

    [Theory]
    [InlineData(9.0, 10.0, true)]
    [InlineData(8.9, 10.0, false)]
    public void RatioAtLeast_Rates(double candidate, double baseline, bool met)
    {
        Assert.Equal(met, Row(candidate, baseline).Apply(Targets.RatioAtLeast(0.9)).Target!.Met);
    }

    [Theory]
    [InlineData(14.0, 16 * 1024, true)]
    [InlineData(14.0, 16 * 1024 + 1, false)] // fast enough, too big
    [InlineData(16.0, 4096, false)]          // small enough, too slow
    public void RatioAndPeakRss_BothMustHold(double candidate, long peakKiB, bool met)
    {
        Assert.Equal(met, Row(candidate, 10.0, peakKiB).Apply(Targets.RatioAndPeakRss(1.5, 16)).Target!.Met);
    }

    [Theory]
    [InlineData(130.0, 120.0, true)]
    [InlineData(130.5, 120.0, false)]
    public void OverheadAtMost_Difference(double candidate, double baseline, bool met)
    {
        var check = Row(candidate, baseline).Apply(Targets.OverheadAtMost(10)).Target!;

        Assert.Equal(met, check.Met);
        Assert.Equal("overhead ≤ 10 ms", check.Text);
    }

    [Theory]
    [InlineData(24 * 1024, true)]
    [InlineData(24 * 1024 + 1, false)]
    public void RssAtMost_SettledRss(long rssKiB, bool met)
    {
        Assert.Equal(met, Row(100, rssKiB: rssKiB, peakKiB: 99 * 1024).Apply(Targets.RssAtMost(24)).Target!.Met);
    }

    [Fact]
    public void P99Below_UsesP99NotMedian()
    {
        var row = new BenchRow
        {
            Name = "agent", Measures = "m", Unit = "ms",
            Candidate = new Side("a", Summary.Of([.. Enumerable.Repeat(5.0, 98), 150.0, 150.0])),
        };

        Assert.False(row.Apply(Targets.P99Below(100)).Target!.Met);
    }

    [Fact]
    public void ValueAtMost_Counts()
    {
        Assert.True(Row(4, unit: "requests").Apply(Targets.ValueAtMost(4)).Target!.Met);
        Assert.False(Row(5, unit: "requests").Apply(Targets.ValueAtMost(4)).Target!.Met);
    }

    [Fact]
    public void Apply_NoBaselineForARatio_NoVerdict()
    {
        Assert.Null(Row(10).Apply(Targets.RatioAtMost(1.2)).Target);
    }

    [Fact]
    public void Apply_FailedRow_NoVerdict()
    {
        var failed = BenchRow.Failed("r", "m", "ms", new InvalidOperationException("boom"));

        Assert.Null(failed.Apply(Targets.RatioAtMost(1.2)).Target);
        Assert.Equal("InvalidOperationException: boom", failed.Error);
    }
}
