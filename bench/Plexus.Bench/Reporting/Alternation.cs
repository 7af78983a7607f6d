namespace Plexus.Bench.Reporting;

/// <summary>
/// Runs several sides of one measurement in turns, so machine noise (other jobs, thermal state)
/// hits them alike: after the warm-up rounds, round i starts with side i mod n.
/// </summary>
internal static class Alternation
{
    public static IReadOnlyList<double>[] Run(IReadOnlyList<Func<double>> sides, int iterations, int warmup)
    {
        for (var i = 0; i < warmup; i++)
        {
            foreach (var side in sides)
            {
                side();
            }
        }
        var samples = sides.Select(_ => new List<double>(iterations)).ToArray();
        for (var i = 0; i < iterations; i++)
        {
            for (var k = 0; k < sides.Count; k++)
            {
                var index = (i + k) % sides.Count;
                samples[index].Add(sides[index]());
            }
        }
        return samples;
    }
}
