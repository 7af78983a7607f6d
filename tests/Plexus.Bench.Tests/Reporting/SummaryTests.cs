using Plexus.Bench.Reporting;

namespace Plexus.Bench.Tests.Reporting;

public sealed class SummaryTests
{
    [Fact]
    public void Of_OddCount_MiddleValueAndExtremes()
    {
        var summary = Summary.Of([5.0, 1.0, 3.0]);

        Assert.Equal(3.0, summary.Median);
        Assert.Equal(1.0, summary.Min);
        Assert.Equal(5.0, summary.Max);
        Assert.Equal(3, summary.Count);
    }

    [Fact]
    public void Of_EvenCount_MeanOfTheTwoMiddleValues()
    {
        Assert.Equal(2.5, Summary.Of([4.0, 1.0, 3.0, 2.0]).Median);
    }

    [Theory]
    [InlineData(100, 99.0)] // 1..100: the 99th smallest
    [InlineData(10, 10.0)]  // too few samples for a p99 below the max
    [InlineData(1, 1.0)]
    [InlineData(200, 198.0)]
    public void Of_OneToN_P99IsNearestRank(int n, double expected)
    {
        var samples = Enumerable.Range(1, n).Select(i => (double)i).Reverse();

        Assert.Equal(expected, Summary.Of(samples).P99);
    }

    [Fact]
    public void Of_NoSamples_Throws()
    {
        Assert.Throws<ArgumentException>(() => Summary.Of([]));
    }

    [Theory]
    [InlineData(50, 2.0)]
    [InlineData(0, 1.0)]
    [InlineData(100, 4.0)]
    public void Percentile_SortedSamples_NearestRank(double percent, double expected)
    {
        Assert.Equal(expected, Summary.Percentile([1.0, 2.0, 3.0, 4.0], percent));
    }
}
