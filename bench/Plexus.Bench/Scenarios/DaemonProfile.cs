using System.Globalization;
using Plexus.Bench.Infrastructure;

namespace Plexus.Bench.Scenarios;

/// <summary>Where plexusd's time per CNI request went between two scrapes of its metrics.</summary>
internal static class DaemonProfile
{
    public static string Describe(string what, string before, string after)
    {
        double Delta(string metric) => PrometheusText.Total(after, metric) - PrometheusText.Total(before, metric);
        var requests = Delta("plexus_daemon_request_duration_seconds_count");
        if (requests <= 0)
        {
            return $"plexusd answered no CNI request during {what}";
        }
        string PerRequest(string metric) => (Delta(metric) * 1000 / requests).ToString("F1", CultureInfo.InvariantCulture);
        var answered = Delta("plexus_daemon_request_duration_seconds_sum");
        var delegates = Delta("plexus_delegate_duration_seconds_sum");
        var api = Delta("plexus_kube_api_request_duration_seconds_sum");
        var rest = ((answered - delegates - api) * 1000 / requests).ToString("F1", CultureInfo.InvariantCulture);
        var apiText = api > 0
            ? $"API requests {PerRequest("plexus_kube_api_request_duration_seconds_sum")} ms, the rest {rest} ms (pod lookup, NAD resolution, result cache)"
            : $"the rest {rest} ms (pod lookup, NAD resolution, result cache, and the network-status patch and event: plexusd's API latency histogram recorded none of them)";
        return $"plexusd per CNI request during {what} ({requests:F0} requests, {Delta("plexus_daemon_rejected_total"):F0} refused): " +
            $"{PerRequest("plexus_daemon_request_duration_seconds_sum")} ms from admission to answer, of which delegates " +
            $"{PerRequest("plexus_delegate_duration_seconds_sum")} ms, {apiText}";
    }
}
