namespace Plexus.Kube.Http;

/// <summary>
/// Names the kubeconfig's proxy in every transport failure of a request sent through it: .NET's own message says only
/// "Connection refused (host:port)", or for a connect timeout just that the operation was cancelled, which an operator
/// cannot tell from the API server being down.
/// </summary>
/// <remarks>
/// A cancellation the caller did not ask for is the handler's ConnectTimeout. HttpClient's overall timeout cancels the
/// token it passes here, so it is not mistaken for the proxy's: by then the tunnel may have been open for long.
/// </remarks>
internal sealed class ProxyFailureHandler(KubeProxy proxy, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return base.Send(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw proxy.DescribeFailure(request, e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw proxy.DescribeTimeout(request, e);
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw proxy.DescribeFailure(request, e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw proxy.DescribeTimeout(request, e);
        }
    }
}
