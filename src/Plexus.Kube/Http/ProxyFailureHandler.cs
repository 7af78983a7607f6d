using System.Diagnostics;

namespace Plexus.Kube.Http;

/// <summary>
/// Names the kubeconfig's proxy in every transport failure of a request sent through it: .NET's own message says only
/// "Connection refused (host:port)", or for a connect timeout just that the operation was cancelled, which an operator
/// cannot tell from the API server being down.
/// </summary>
/// <remarks>
/// A cancellation the caller did not ask for is the handler's ConnectTimeout (as is a SOCKS5 handshake it cut).
/// HttpClient's overall timeout cancels the token it passes here, so it is not mistaken for the proxy's: by then the tunnel
/// may have been open for long.
/// </remarks>
internal sealed class ProxyFailureHandler(KubeProxy proxy, TimeSpan connectTimeout, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    // The handler's connect timeout is a timer on a millisecond tick count, which can fire up to a tick or so before the
    // Stopwatch here says the timeout has passed (and later under load); a failure that close to it is the timeout.
    private static readonly TimeSpan TimerSlack = TimeSpan.FromMilliseconds(25);

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return base.Send(request, cancellationToken);
        }
        catch (Exception e) when (Described(request, e, started, cancellationToken) is { } described)
        {
            throw described;
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (Described(request, e, started, cancellationToken) is { } described)
        {
            throw described;
        }
    }

    // What the caller gets instead of e; null: e itself (the caller's own cancellation, or no transport failure).
    private Exception? Described(HttpRequestMessage request, Exception e, long started, CancellationToken cancellationToken) => e switch
    {
        HttpRequestException failure when !cancellationToken.IsCancellationRequested
            && proxy.IsSocksHandshakeCutByTimeout(failure, Stopwatch.GetElapsedTime(started) >= connectTimeout - TimerSlack) =>
            proxy.DescribeTimeout(request, failure),
        HttpRequestException failure => proxy.DescribeFailure(request, failure),
        OperationCanceledException when !cancellationToken.IsCancellationRequested => proxy.DescribeTimeout(request, e),
        _ => null,
    };
}
