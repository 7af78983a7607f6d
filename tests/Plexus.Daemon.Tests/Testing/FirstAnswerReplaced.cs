using System.Net;
using System.Text;
using Plexus.Daemon.Caches;

namespace Plexus.Daemon.Tests.Testing;

/// <summary>
/// The simulator's API, except that the first request <paramref name="matches"/> selects is answered 200 OK with
/// <paramref name="body"/> instead: a malformed answer, as a broken proxy or server would send it.
/// </summary>
internal sealed class FirstAnswerReplaced(IKubeApi inner, Func<HttpRequestMessage, bool> matches, string body) : IKubeApi
{
    private int _replaced;

    public bool Replaced => Volatile.Read(ref _replaced) == 1;

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        matches(request) && Interlocked.Exchange(ref _replaced, 1) == 0
            ? Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") })
            : inner.SendAsync(request, cancellationToken);

    public static bool IsWatch(HttpRequestMessage request) => request.RequestUri!.OriginalString.Contains("watch=true", StringComparison.Ordinal);
}
