using Plexus.Bench.Reporting;

namespace Plexus.Bench.Tests.Reporting;

public sealed class AlternationTests
{
    [Fact]
    public void Run_ThreeSides_EachRoundStartsWithTheNextSide()
    {
        var order = new List<int>();
        Func<double> Side(int id) => () =>
        {
            order.Add(id);
            return id * 100 + order.Count;
        };

        var samples = Alternation.Run([Side(0), Side(1), Side(2)], iterations: 3, warmup: 1);

        Assert.Equal([0, 1, 2, /* measured: */ 0, 1, 2, 1, 2, 0, 2, 0, 1], order);
        Assert.All(samples, s => Assert.Equal(3, s.Count));
        // Each side's list holds only its own results (id * 100 + call number).
        Assert.All(samples[1], v => Assert.InRange(v, 100, 199));
        Assert.All(samples[2], v => Assert.InRange(v, 200, 299));
    }

    [Fact]
    public void Run_NoWarmup_OnlyMeasuredCalls()
    {
        var calls = 0;

        var samples = Alternation.Run([() => ++calls, () => ++calls], iterations: 20, warmup: 0);

        Assert.Equal(40, calls);
        Assert.Equal(20, samples[0].Count);
    }
}
