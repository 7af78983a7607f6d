using Plexus.Bench.Infrastructure;
using Plexus.Bench.Reporting;

namespace Plexus.Bench.Scenarios;

/// <summary>
/// What the bench's own spawner adds to every process it times (/bin/true through ProcessProbe):
/// the direct baselines spawn six processes per pod, the thin and thick candidates two.
/// </summary>
internal static class HarnessScenario
{
    public static BenchRow Run(int iterations, int warmup)
    {
        var env = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" };
        var samples = Alternation.Run([() => ProcessProbe.Run(ProbeMode.WallTime, ["/bin/true"], env, []).WallMs], iterations, warmup);
        return new BenchRow
        {
            Name = "harness-spawn",
            Measures = "the bench's spawner around /bin/true (temp-file stdin/stdout, posix_spawn, waitpid): its share of every timed process",
            Unit = "ms",
            Candidate = new Side("/bin/true", Summary.Of(samples[0])),
        };
    }
}
