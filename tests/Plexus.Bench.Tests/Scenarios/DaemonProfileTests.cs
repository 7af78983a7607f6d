using Plexus.Bench.Scenarios;

namespace Plexus.Bench.Tests.Scenarios;

public sealed class DaemonProfileTests
{
    private const string Before = """
        plexus_daemon_request_duration_seconds_sum{verb="ADD"} 1
        plexus_daemon_request_duration_seconds_count{verb="ADD"} 10
        plexus_delegate_duration_seconds_sum{verb="ADD",network="a"} 0.5
        """;

    private const string After = """
        plexus_daemon_request_duration_seconds_sum{verb="ADD"} 3
        plexus_daemon_request_duration_seconds_sum{verb="DEL"} 1
        plexus_daemon_request_duration_seconds_count{verb="ADD"} 30
        plexus_daemon_request_duration_seconds_count{verb="DEL"} 20
        plexus_delegate_duration_seconds_sum{verb="ADD",network="a"} 1.5
        plexus_delegate_duration_seconds_sum{verb="DEL",network="a"} 1.0
        plexus_kube_api_request_duration_seconds_sum{verb="patch",resource="pods"} 0.4
        plexus_daemon_rejected_total{reason="queue_full"} 2
        """;

    [Fact]
    public void Describe_Deltas_SplitPerRequest()
    {
        // 40 requests; 3 s answered, 2 s in delegates, 0.4 s in the API, 0.6 s the rest.
        var text = DaemonProfile.Describe("the test", Before, After);

        Assert.Contains("(40 requests, 2 refused)", text);
        Assert.Contains("75.0 ms from admission to answer, of which delegates 50.0 ms, API requests 10.0 ms, the rest 15.0 ms", text);
    }

    [Fact]
    public void Describe_NoApiTimeRecorded_SaysTheRestIncludesIt()
    {
        var after = After.Replace("plexus_kube_api_request_duration_seconds_sum{verb=\"patch\",resource=\"pods\"} 0.4", "");

        var text = DaemonProfile.Describe("the test", Before, after);

        Assert.Contains("of which delegates 50.0 ms, the rest 25.0 ms", text);
        Assert.Contains("API latency histogram recorded none of them", text);
    }

    [Fact]
    public void Describe_NoRequests_SaysSo()
    {
        Assert.Equal("plexusd answered no CNI request during the test", DaemonProfile.Describe("the test", Before, Before));
    }
}
