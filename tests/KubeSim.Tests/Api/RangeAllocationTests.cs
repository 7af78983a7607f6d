using Plexus.KubeSim.Api;

namespace Plexus.KubeSim.Tests.Api;

/// <summary>The real allocators' pick: a random start above the static band, wrapping, the static band only once the rest is full.</summary>
public sealed class RangeAllocationTests
{
    [Theory]
    [InlineData(0, 4)]
    [InlineData(3, 7)]
    [InlineData(5, 9)]
    public void PickFree_UpperBandFree_FromTheRandomStart(int start, int expected)
    {
        Assert.Equal(expected, RangeAllocation.PickFree(10, 4, _ => false, new FixedRandom(start)));
    }

    [Fact]
    public void PickFree_TakenAtStart_ScansUpAndWrapsWithinTheUpperBand()
    {
        var taken = new HashSet<int> { 7, 8, 9 };

        Assert.Equal(4, RangeAllocation.PickFree(10, 4, taken.Contains, new FixedRandom(3)));
    }

    [Fact]
    public void PickFree_UpperBandFull_StaticBandFromItsOwnRandomStart()
    {
        var taken = new HashSet<int> { 1, 4, 5, 6, 7, 8, 9 };

        Assert.Equal(2, RangeAllocation.PickFree(10, 4, taken.Contains, new FixedRandom(1)));
    }

    [Theory]
    [InlineData(10, 4)]
    [InlineData(4, 4)]
    [InlineData(4, 0)]
    public void PickFree_EverythingTaken_Null(int size, int staticBand)
    {
        Assert.Null(RangeAllocation.PickFree(size, staticBand, _ => true, new FixedRandom(0)));
    }

    [Fact]
    public void PickFree_NoStaticBand_WholeRangeIsDynamic()
    {
        Assert.Equal(2, RangeAllocation.PickFree(4, 0, _ => false, new FixedRandom(2)));
    }

    [Theory]
    [InlineData(10, 11)]
    [InlineData(10, -1)]
    public void PickFree_StaticBandOutsideTheRange_Throws(int size, int staticBand)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RangeAllocation.PickFree(size, staticBand, _ => false, new FixedRandom(0)));
    }

    /// <summary>A Random whose every draw is the same start (kept below the bound asked for).</summary>
    private sealed class FixedRandom(int start) : Random
    {
        public override int Next(int maxValue) => Math.Min(start, maxValue - 1);
    }
}
