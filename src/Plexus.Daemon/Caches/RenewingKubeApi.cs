using System.Net;
using Plexus.Cni;

namespace Plexus.Daemon.Caches;

/// <summary>
/// The caches' API access over a client that is loaded again (kubeconfig or service-account token read anew)
/// after the API server answers 401, every few minutes and once an exec plugin's credential has expired, so a rotated
/// token is picked up without a restart.
/// The request that got the 401 fails as usual; the reflector's retry goes out with the new client. A load that
/// fails (a kubeconfig caught mid-rewrite) keeps the current client and is tried again on the next request.
/// </summary>
public sealed class RenewingKubeApi(IKubeApi initial, Func<IKubeApi?> load, TimeProvider time) : IKubeApi
{
    /// <summary>Projected service-account tokens rotate hourly; reloading well before that costs one TLS handshake.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly Lock _gate = new();
    private IKubeApi _current = initial;
    private DateTimeOffset _loaded = time.GetUtcNow();
    private bool _rejected;

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var api = Current();
        var response = await api.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            lock (_gate)
            {
                _rejected |= ReferenceEquals(api, _current);
            }
        }
        return response;
    }

    private IKubeApi Current()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (!_rejected && now - _loaded < Lifetime && !(_current.CredentialExpiry <= now))
            {
                return _current;
            }
            try
            {
                if (load() is { } fresh)
                {
                    // The old client is not disposed: a watch stream of the other cache may still be reading from it.
                    (_current, _loaded, _rejected) = (fresh, now, false);
                }
            }
            catch (CniException)
            {
            }
            return _current;
        }
    }
}
