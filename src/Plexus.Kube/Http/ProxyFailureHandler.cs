namespace Plexus.Kube.Http;

/// <summary>
/// Names the kubeconfig's proxy in every transport failure of a request sent through it: .NET's own message says only
/// "Connection refused (host:port)", which an operator cannot tell from the API server being down.
/// </summary>
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
    }
}
