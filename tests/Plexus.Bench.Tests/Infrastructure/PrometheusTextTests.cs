using Plexus.Bench.Infrastructure;

namespace Plexus.Bench.Tests.Infrastructure;

public sealed class PrometheusTextTests
{
    private const string Exposition = """
        # HELP plexus_cache_objects Objects held by a watch cache.
        # TYPE plexus_cache_objects gauge
        plexus_cache_objects{cache="pods"} 250
        plexus_cache_objects{cache="network-attachment-definitions"} 1000
        plexus_cache_objects_total{cache="pods"} 7
        plexus_daemon_requests_in_flight 3
        plexus_odd{a="x,y",b="q\"uote"} 1.5e3
        """;

    [Theory]
    [InlineData("pods", 250.0)]
    [InlineData("network-attachment-definitions", 1000.0)]
    public void Value_LabelledGauge_ItsValue(string cache, double expected)
    {
        Assert.Equal(expected, PrometheusText.Value(Exposition, "plexus_cache_objects", ("cache", cache)));
    }

    [Fact]
    public void Value_NoLabels_ItsValue()
    {
        Assert.Equal(3.0, PrometheusText.Value(Exposition, "plexus_daemon_requests_in_flight"));
    }

    [Fact]
    public void Value_LongerNameWithSamePrefix_NotConfused()
    {
        Assert.Equal(7.0, PrometheusText.Value(Exposition, "plexus_cache_objects_total", ("cache", "pods")));
        Assert.Null(PrometheusText.Value(Exposition, "plexus_daemon_requests"));
    }

    [Fact]
    public void Value_QuotedCommaAndEscapedQuote_MatchedWhole()
    {
        Assert.Equal(1500.0, PrometheusText.Value(Exposition, "plexus_odd", ("a", "x,y"), ("b", "q\"uote")));
        Assert.Null(PrometheusText.Value(Exposition, "plexus_odd", ("a", "x")));
    }

    [Fact]
    public void Value_Missing_Null()
    {
        Assert.Null(PrometheusText.Value(Exposition, "plexus_cache_objects", ("cache", "nodes")));
        Assert.Null(PrometheusText.Value("", "plexus_cache_objects"));
    }

    [Fact]
    public void Labels_Unterminated_FormatException()
    {
        Assert.Throws<FormatException>(() => PrometheusText.Labels("cache=\"pods"));
        Assert.Throws<FormatException>(() => PrometheusText.Labels("cache=pods"));
    }

    [Fact]
    public void Total_HistogramSumOverAllSeries_Added()
    {
        const string histogram = """
            plexus_delegate_duration_seconds_sum{verb="ADD",network="ns/a"} 1.5
            plexus_delegate_duration_seconds_sum{verb="DEL",network="ns/a"} 0.25
            plexus_delegate_duration_seconds_count{verb="ADD",network="ns/a"} 10
            plexus_delegate_duration_seconds_bucket{verb="ADD",network="ns/a",le="0.01"} 2
            """;

        Assert.Equal(1.75, PrometheusText.Total(histogram, "plexus_delegate_duration_seconds_sum"));
        Assert.Equal(10.0, PrometheusText.Total(histogram, "plexus_delegate_duration_seconds_count"));
        Assert.Equal(0.0, PrometheusText.Total(histogram, "plexus_kube_api_request_duration_seconds_sum"));
    }
}
