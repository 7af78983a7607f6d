using System.Net;
using System.Text;
using Plexus.Daemon.Caches;

namespace Plexus.Daemon.Tests.Testing;

/// <summary>
/// The simulator's API, except that the first request <paramref name="matches"/> selects gets <paramref name="answer"/>
/// instead: a malformed answer or a failure, as a broken proxy or an overloaded server would give it.
/// </summary>
internal sealed class FirstRequestReplaced(IKubeApi inner, Func<HttpRequestMessage, bool> matches, Func<HttpResponseMessage> answer) : IKubeApi
{
    private int _replaced;

    public bool Replaced => Volatile.Read(ref _replaced) == 1;

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        matches(request) && Interlocked.Exchange(ref _replaced, 1) == 0
            ? Task.FromResult(answer())
            : inner.SendAsync(request, cancellationToken);

    public static bool IsWatch(HttpRequestMessage request) => request.RequestUri!.OriginalString.Contains("watch=true", StringComparison.Ordinal);

    public static bool IsList(HttpRequestMessage request) => !IsWatch(request);

    public static Func<HttpResponseMessage> Body(string json) =>
        () => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    /// <summary>What HttpClient throws when its timeout passes before the headers arrive.</summary>
    public static HttpResponseMessage TimedOut() =>
        throw new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of 30 seconds elapsing.", new TimeoutException());
}
