using System.Net;
using Plexus.Cni;
using Plexus.Daemon.Caches;
using Plexus.Testing;

namespace Plexus.Daemon.Tests.Caches;

public sealed class RenewingKubeApiTests
{
    private readonly ManualTimeProvider _time = new();
    private readonly List<FakeApi> _loaded = [];
    private Func<IKubeApi?> _load;

    public RenewingKubeApiTests() => _load = () =>
    {
        var api = new FakeApi(HttpStatusCode.OK);
        _loaded.Add(api);
        return api;
    };

    [Fact]
    public async Task SendAsync_Unauthorized_NextRequestGoesOutWithAFreshlyLoadedClient()
    {
        var initial = new FakeApi(HttpStatusCode.Unauthorized);
        var api = Create(initial);

        var first = await SendAsync(api);
        var second = await SendAsync(api);

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.OK), (first, second));
        Assert.Equal(1, initial.Calls);
        Assert.Equal(1, Assert.Single(_loaded).Calls);
    }

    [Fact]
    public async Task SendAsync_AuthorizedWithinLifetime_KeepsItsClient()
    {
        var initial = new FakeApi(HttpStatusCode.OK);
        var api = Create(initial);

        await SendAsync(api);
        _time.Advance(RenewingKubeApi.Lifetime - TimeSpan.FromSeconds(1));
        await SendAsync(api);

        Assert.Equal(2, initial.Calls);
        Assert.Empty(_loaded);
    }

    [Fact]
    public async Task SendAsync_OlderThanLifetime_Reloads()
    {
        var initial = new FakeApi(HttpStatusCode.OK);
        var api = Create(initial);

        _time.Advance(RenewingKubeApi.Lifetime);
        await SendAsync(api);

        Assert.Equal(0, initial.Calls);
        Assert.Equal(1, Assert.Single(_loaded).Calls);
    }

    [Fact]
    public async Task SendAsync_CredentialExpiredWithinLifetime_Reloads()
    {
        var initial = new FakeApi(HttpStatusCode.OK) { CredentialExpiry = _time.GetUtcNow() + TimeSpan.FromMinutes(1) };
        var api = Create(initial);

        await SendAsync(api);
        _time.Advance(TimeSpan.FromMinutes(1));
        await SendAsync(api);

        Assert.Equal(1, initial.Calls);
        Assert.Equal(1, Assert.Single(_loaded).Calls);
    }

    [Fact]
    public async Task SendAsync_ReloadFails_KeepsTheOldClientAndTriesAgainNextTime()
    {
        var initial = new FakeApi(HttpStatusCode.Unauthorized);
        var api = Create(initial);
        var working = _load;
        _load = () => throw new CniException(CniErrorCode.InvalidNetworkConfig, "cannot load kubeconfig", "mid-rewrite");
        await SendAsync(api);

        var whileBroken = await SendAsync(api);
        _load = working;
        var afterwards = await SendAsync(api);

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.OK), (whileBroken, afterwards));
        Assert.Equal(2, initial.Calls);
        Assert.Single(_loaded);
    }

    private RenewingKubeApi Create(IKubeApi initial) => new(initial, () => _load(), _time);

    private static async Task<HttpStatusCode> SendAsync(IKubeApi api)
    {
        using var response = await api.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/pods"), CancellationToken.None);
        return response.StatusCode;
    }

    private sealed class FakeApi(HttpStatusCode status) : IKubeApi
    {
        public int Calls { get; private set; }

        public DateTimeOffset? CredentialExpiry { get; init; }

        public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult(new HttpResponseMessage(status));
        }
    }
}
