using Plexus.Bench.Reporting;

namespace Plexus.Bench.Tests.Reporting;

public sealed class TableRendererTests
{
    private static readonly RunInfo Run = new("test CPU, 2 cores", new DateTimeOffset(2026, 11, 26, 18, 0, 0, TimeSpan.Zero), 20, 3);

    private static string RowLine(string table, string name) =>
        table.Split('\n').Single(l => l.StartsWith($"| {name} |", StringComparison.Ordinal));

    [Fact]
    public void Render_Comparison_RatioMemoryAndVerdict()
    {
        var row = new BenchRow
        {
            Name = "version-shim", Measures = "VERSION", Unit = "ms",
            Candidate = new Side("plexus-shim", Summary.Of([4.0, 5.0, 6.0]), PeakRssKiB: 3 * 1024),
            Baseline = new Side("bridge", Summary.Of([2.0, 2.5, 3.0]), PeakRssKiB: 4 * 1024),
        }.Apply(Targets.RatioAtMost(1.2));

        var line = RowLine(TableRenderer.Render(Run, [row], []), "version-shim");

        Assert.Equal("| version-shim | VERSION | plexus-shim 5.00 ms (4.00–6.00) | bridge 2.50 ms (2.00–3.00) | 2.00× | peak 3.0 / 4.0 | ≤ 1.2× baseline | **no** |", line);
    }

    [Fact]
    public void Render_DaemonRow_RssAndHighWaterMark()
    {
        var row = new BenchRow
        {
            Name = "daemon-250p-1000n", Measures = "sync", Unit = "ms",
            Candidate = new Side("plexusd", Summary.Of([812.4, 900.0, 700.0]), PeakRssKiB: 41 * 1024, RssKiB: 20 * 1024),
        }.Apply(Targets.RssAtMost(24));

        var line = RowLine(TableRenderer.Render(Run, [row], []), "daemon-250p-1000n");

        Assert.Contains("| plexusd 812 ms (700–900) | — | — | RSS 20.0, HWM 41.0 | RSS ≤ 24 MiB | yes |", line);
    }

    [Fact]
    public void Render_LatencyRow_P99OnlyWhenQuoted()
    {
        var samples = Summary.Of([.. Enumerable.Range(1, 100).Select(i => (double)i)]);
        BenchRow Row(bool quote) => new() { Name = "agent-regen", Measures = "m", Unit = "ms", Candidate = new Side("a", samples), QuoteP99 = quote };

        Assert.Contains("(1.00–100, p99 99.0)", RowLine(TableRenderer.Render(Run, [Row(true)], []), "agent-regen"));
        Assert.DoesNotContain("p99", RowLine(TableRenderer.Render(Run, [Row(false)], []), "agent-regen"));
    }

    [Fact]
    public void Render_FailedRow_SaysWhyAndNotMet()
    {
        var row = BenchRow.Failed("throughput-16", "pods/s", "pods/s", new TimeoutException("plexusd not serving"));

        var line = RowLine(TableRenderer.Render(Run, [row], []), "throughput-16");

        Assert.Contains("failed: TimeoutException: plexusd not serving", line);
        Assert.EndsWith("| no |", line);
    }

    [Fact]
    public void Render_Header_MachineSamplesAndNotes()
    {
        var table = TableRenderer.Render(Run, [], ["seeding took 1.2 s"]);

        Assert.StartsWith("machine: test CPU, 2 cores; 2026-11-26 18:00 UTC; timed rows: median of 20 after 3 warm-up", table);
        Assert.Contains("| row | what it measures |", table);
        Assert.EndsWith("- seeding took 1.2 s\n", table.ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData(0.054, "0.05")]
    [InlineData(4.7, "4.70")]
    [InlineData(23.26, "23.3")]
    [InlineData(276.68, "277")]
    public void Number_ThreeSignificantDigitsOrSo(double value, string expected)
    {
        Assert.Equal(expected, TableRenderer.Number(value));
    }
}
