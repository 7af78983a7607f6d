using Plexus.Testing;
using Xunit.Abstractions;

namespace Plexus.Integration.Tests.Thick.Rss;

/// <summary>
/// The published daemon's RSS after its caches sync, per scenario: printed (run with
/// <c>--logger "console;verbosity=detailed"</c> to see the figures) and held under each scenario's ceiling.
/// </summary>
public sealed class DaemonRssTests(ITestOutputHelper output)
{
    public static TheoryData<int> Scenarios => new(Enumerable.Range(0, RssScenario.All.Count));

    [SkippableTheory]
    [MemberData(nameof(Scenarios))]
    public async Task Measure_CachesSynced_RssUnderCeiling(int index)
    {
        Skip.IfNot(PublishedBinary.Daemon.Exists, PublishedBinary.Daemon.NotPublished);
        var scenario = RssScenario.All[index];

        var measurement = await DaemonRssProbe.MeasureAsync(scenario, PublishedBinary.Daemon.Path, CancellationToken.None);

        output.WriteLine(measurement.ToString());
        Assert.True(measurement.RssMiB <= scenario.CeilingMiB, $"{measurement}; ceiling {scenario.CeilingMiB} MiB");
    }
}
