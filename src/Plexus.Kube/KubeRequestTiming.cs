using System.Diagnostics;
using System.Globalization;

namespace Plexus.Kube;

/// <summary>
/// Times one request to the API server and tells an <see cref="IKubeRequestObserver"/> how it ended: the live client's
/// object requests and plexusd's lists and watches are counted alike.
/// </summary>
internal static class KubeRequestTiming
{
    /// <summary>
    /// Runs <paramref name="send"/> and reports the answer's status (success or not: the response is returned unread),
    /// <c>transport_error</c>, or <c>timeout</c>; a request cancelled through <paramref name="cancellationToken"/> is
    /// its caller's choice, no answer from the server, and is not reported.
    /// </summary>
    public static async Task<HttpResponseMessage> TimeAsync(this IKubeRequestObserver observer, KubeRequestLabels labels,
        Func<Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await send().ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            observer.Completed(labels.Verb, labels.Resource, "transport_error", Stopwatch.GetElapsedTime(started));
            throw;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient.Timeout ran out.
            observer.Completed(labels.Verb, labels.Resource, "timeout", Stopwatch.GetElapsedTime(started));
            throw;
        }
        observer.Completed(labels.Verb, labels.Resource, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture),
            Stopwatch.GetElapsedTime(started));
        return response;
    }
}
