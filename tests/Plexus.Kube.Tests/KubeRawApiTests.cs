using System.Net;

namespace Plexus.Kube.Tests;

public sealed class KubeRawApiTests
{
    private static readonly Uri Server = new("https://10.96.0.1:443/");

    [Fact]
    public void GoesDirect_NoProxyConfigured_True()
    {
        Assert.True(KubeRawApi.GoesDirect(new WebProxy(), Server));
    }

    [Fact]
    public void GoesDirect_ProxyForTheServer_False()
    {
        Assert.False(KubeRawApi.GoesDirect(new WebProxy("http://proxy.corp:3128"), Server));
    }

    [Fact]
    public void GoesDirect_ServerInTheBypassList_True()
    {
        var proxy = new WebProxy("http://proxy.corp:3128") { BypassList = [@"10\.96\.0\.1"] };

        Assert.True(KubeRawApi.GoesDirect(proxy, Server));
    }
}
