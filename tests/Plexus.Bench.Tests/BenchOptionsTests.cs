namespace Plexus.Bench.Tests;

public sealed class BenchOptionsTests
{
    [Fact]
    public void Parse_NoArgs_Defaults()
    {
        var options = BenchOptions.Parse([]);

        Assert.Equal(20, options.Iterations);
        Assert.Equal(20, options.ThroughputIterations);
        Assert.True(options.Wants("daemon"));
        Assert.EndsWith("bench/results/latest.json", options.OutFile);
    }

    [Fact]
    public void Parse_Only_RestrictsGroups()
    {
        var options = BenchOptions.Parse(["--only", "version,agent", "--iterations", "5", "--throughput-iterations", "3"]);

        Assert.True(options.Wants("agent"));
        Assert.False(options.Wants("throughput"));
        Assert.Equal(5, options.Iterations);
        Assert.Equal(3, options.ThroughputIterations);
    }

    [Fact]
    public void Parse_DaemonConfig_JsonObject()
    {
        Assert.Empty(BenchOptions.Parse([]).DaemonConfig);
        Assert.Equal(16, (int)BenchOptions.Parse(["--daemon-config", "{\"maxInFlight\":16}"]).DaemonConfig["maxInFlight"]!);
        Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["--daemon-config", "[1]"]));
    }

    [Theory]
    [InlineData("iterations")]
    [InlineData("--iterations")]
    public void Parse_NotNameValuePairs_Throws(string arg)
    {
        Assert.Throws<ArgumentException>(() => BenchOptions.Parse([arg]));
    }
}
