using System.Text.Json.Nodes;
using Plexus.Cni;

namespace Plexus.Core.Tests.Service;

/// <summary>ADD's default-route step: which edits reach the pod namespace, and a failing edit undoing the ADD.</summary>
public sealed class DefaultRouteTests : IDisposable
{
    private readonly MetaPluginRig rig = new();

    public DefaultRouteTests()
    {
        rig.Kube.AddNad("pods", "a", """{"cniVersion":"1.0.0","type":"macvlan"}""");
        rig.Kube.AddNad("pods", "b", """{"cniVersion":"1.0.0","type":"macvlan"}""");
    }

    public void Dispose() => rig.Dispose();

    [Theory]
    [InlineData("\"10.1.0.1\"", "IPv4 via 10.1.0.1 dev net1, flush from eth0,net2")]
    [InlineData("\"fd01::1\"", "IPv6 via fd01::1 dev net1, flush from eth0,net2")]
    [InlineData("\"fd01::1\",\"10.1.0.1\"", "IPv4 via 10.1.0.1 dev net1, flush from eth0,net2|IPv6 via fd01::1 dev net1, flush from eth0,net2")]
    public async Task Add_DefaultRouteRequested_OnlyThatFamilysEditsPassedOnForTheWholePod(string gateways, string expected)
    {
        rig.Annotate($$"""[{"name":"a","default-route":[{{gateways}}]},{"name":"b"}]""");

        await rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", rig.Config()), CancellationToken.None);

        var (netns, _) = Assert.Single(rig.PodNetwork.Applied);
        Assert.Equal("/ns", netns);
        Assert.Equal(expected.Split('|'), rig.PodNetwork.AppliedText);
    }

    [Fact]
    public async Task Add_EachFamilyOnItsOwnNetwork_TwoEditsEachFlushingTheOthers()
    {
        rig.Annotate("""[{"name":"a","default-route":["10.1.0.1"]},{"name":"b","default-route":["fd02::1"]}]""");

        await rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", rig.Config()), CancellationToken.None);

        Assert.Equal(["IPv4 via 10.1.0.1 dev net1, flush from eth0,net2", "IPv6 via fd02::1 dev net2, flush from eth0,net1"], rig.PodNetwork.AppliedText);
    }

    [Fact]
    public async Task Add_DefaultRouteOnANetworkWithItsOwnDefault_StatusListsOnlyTheRequestedGatewayOfThatFamily()
    {
        rig.Executor.Answer("macvlan", "ADD", """
            {"cniVersion":"1.0.0","interfaces":[{"name":"net1","sandbox":"/ns"}],"ips":[{"address":"10.1.0.5/24","interface":0}],
             "routes":[{"dst":"0.0.0.0/0","gw":"10.1.0.254"},{"dst":"::/0","gw":"fd01::1"}]}
            """);
        rig.Annotate("""[{"name":"a","default-route":["10.1.0.1"]}]""");

        await rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", rig.Config()), CancellationToken.None);

        var status = JsonNode.Parse(Assert.Single(rig.Kube.StatusWrites))!.AsArray();
        Assert.Equal("""["fd01::1","10.1.0.1"]""", status.Single(s => (string?)s!["name"] == "pods/a")!["gateway"]!.ToJsonString());
    }

    [Fact]
    public async Task Add_NoDefaultRouteRequested_PodRoutesUntouched()
    {
        rig.Annotate("a,b");

        await rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", rig.Config()), CancellationToken.None);

        Assert.Empty(rig.PodNetwork.Applied);
    }

    [Fact]
    public async Task Add_DefaultRouteEditFails_ErrorNamesStepEveryAttachmentUndoneInReverseNothingCached()
    {
        rig.Annotate("""[{"name":"a","default-route":["10.1.0.1"]},{"name":"b"}]""");
        rig.PodNetwork.Failure = new CniException(CniErrorCode.IoFailure, "default-route edit failed in pod namespace /ns: ip -4 route replace default via 10.1.0.1 dev net1: Nexthop has invalid gateway", "check the gateway");

        var error = await Assert.ThrowsAsync<CniException>(() => rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", rig.Config()), CancellationToken.None));

        Assert.Equal(CniErrorCode.IoFailure, error.Code);
        Assert.StartsWith("pod pods/web: default-route: default-route edit failed in pod namespace /ns", error.Message);
        Assert.Equal("every attachment was removed again. check the gateway", error.Details);
        Assert.Equal(["bridge ADD", "macvlan ADD", "macvlan ADD", "macvlan DEL", "macvlan DEL", "bridge DEL"],
            rig.Executor.CallSummary.Where(c => !c.EndsWith("VERSION")));
        Assert.Equal(["net2", "net1", "eth0"], rig.Runs("DEL").Select(c => c.Invocation.IfName));
        Assert.False(File.Exists(rig.CacheFile));
        Assert.Empty(rig.Kube.StatusWrites);
        Assert.DoesNotContain(rig.Kube.Requests, r => r.StartsWith("create event", StringComparison.Ordinal));
    }
}
