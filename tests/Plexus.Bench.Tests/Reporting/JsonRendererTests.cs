using System.Text.Json;
using Plexus.Bench.Reporting;

namespace Plexus.Bench.Tests.Reporting;

public sealed class JsonRendererTests
{
    private static readonly RunInfo Run = new("test CPU", new DateTimeOffset(2026, 11, 26, 18, 0, 0, TimeSpan.Zero), 20, 3);

    [Fact]
    public void Render_ComparisonRow_BothSidesRatioAndTarget()
    {
        var row = new BenchRow
        {
            Name = "throughput-4-thin", Measures = "pods/s", Unit = "pods/s",
            Candidate = new Side("plexus", Summary.Of([9.0, 10.0, 11.0])),
            Baseline = new Side("direct", Summary.Of([18.0, 20.0, 22.0])),
        }.Apply(Targets.RatioAtLeast(0.9));

        using var doc = JsonDocument.Parse(JsonRenderer.Render(Run, [row], ["a note"]));
        var root = doc.RootElement;
        var json = root.GetProperty("rows")[0];

        Assert.Equal("2026-11-26T18:00:00.0000000Z", root.GetProperty("date").GetString());
        Assert.Equal(20, root.GetProperty("iterations").GetInt32());
        Assert.Equal("throughput-4-thin", json.GetProperty("name").GetString());
        Assert.Equal("pods/s", json.GetProperty("unit").GetString());
        Assert.Equal(10.0, json.GetProperty("candidate").GetProperty("median").GetDouble());
        Assert.Equal(22.0, json.GetProperty("baseline").GetProperty("max").GetDouble());
        Assert.Equal(3, json.GetProperty("baseline").GetProperty("count").GetInt32());
        Assert.Equal(0.5, json.GetProperty("ratio").GetDouble());
        Assert.False(json.GetProperty("target").GetProperty("met").GetBoolean());
        Assert.False(json.TryGetProperty("error", out _));
        Assert.Equal("a note", root.GetProperty("notes")[0].GetString());
    }

    [Fact]
    public void Render_DaemonRow_MemoryFieldsNoBaseline()
    {
        var row = new BenchRow
        {
            Name = "daemon-idle", Measures = "m", Unit = "ms",
            Candidate = new Side("plexusd", Summary.Of([100.0]), PeakRssKiB: 30_000, RssKiB: 20_000),
        };

        using var doc = JsonDocument.Parse(JsonRenderer.Render(Run, [row], []));
        var json = doc.RootElement.GetProperty("rows")[0];

        Assert.Equal(20_000, json.GetProperty("candidate").GetProperty("rssKiB").GetInt64());
        Assert.Equal(30_000, json.GetProperty("candidate").GetProperty("peakRssKiB").GetInt64());
        Assert.False(json.TryGetProperty("baseline", out _));
        Assert.False(json.TryGetProperty("ratio", out _));
        Assert.False(json.TryGetProperty("target", out _));
    }

    [Fact]
    public void Render_FailedRow_ErrorAndNoFigures()
    {
        var row = BenchRow.Failed("agent-regen", "m", "ms", new TimeoutException("no config"));

        using var doc = JsonDocument.Parse(JsonRenderer.Render(Run, [row], []));
        var json = doc.RootElement.GetProperty("rows")[0];

        Assert.Equal("TimeoutException: no config", json.GetProperty("error").GetString());
        Assert.False(json.TryGetProperty("candidate", out _));
    }
}
