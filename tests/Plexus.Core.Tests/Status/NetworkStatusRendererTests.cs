using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Plexus.Cni;
using Plexus.Cni.Results;
using Plexus.Core.Planning;
using Plexus.Core.Routes;
using Plexus.Core.Status;

namespace Plexus.Core.Tests.Status;

public sealed class NetworkStatusRendererTests
{
    private static Attachment Attach(int index, string network, string ifName) =>
        new() { Index = index, Network = network, IfName = ifName, Conf = new JsonObject { ["type"] = "bridge" } };

    private static CniResult Result(string json) => CniResult.Parse(JsonNode.Parse(json), CniVersion.V100);

    private const string BridgeResult = """
        {"cniVersion":"1.0.0",
         "interfaces":[{"name":"cni0","mac":"aa:aa:aa:aa:aa:aa"},{"name":"veth1","mac":"bb:bb:bb:bb:bb:bb"},
                       {"name":"eth0","mac":"0a:58:0a:f4:00:05","sandbox":"/var/run/netns/p","mtu":1450}],
         "ips":[{"address":"10.244.0.5/24","gateway":"10.244.0.1","interface":2},{"address":"10.9.9.9/32","interface":0},
                {"address":"fd00::5/64","interface":2}],
         "routes":[{"dst":"0.0.0.0/0","gw":"10.244.0.1"},{"dst":"::/0","gw":"fd00::1"},{"dst":"10.0.0.0/8","gw":"10.244.0.254"}],
         "dns":{"nameservers":["10.96.0.10"],"domain":"cluster.local","search":["svc.cluster.local"],"options":["ndots:5"]}}
        """;

    [Fact]
    public void Render_ClusterNetwork_NpwgFields()
    {
        var status = NetworkStatusRenderer.Render(Attach(0, "cbr0", "eth0"), Result(BridgeResult), []);

        Assert.Equal(
            """[{"name":"cbr0","interface":"eth0","ips":["10.244.0.5","fd00::5"],"mac":"0a:58:0a:f4:00:05","mtu":1450,"default":true,"dns":{"nameservers":["10.96.0.10"],"domain":"cluster.local","search":["svc.cluster.local"],"options":["ndots:5"]},"gateway":["10.244.0.1","fd00::1"]}]""",
            NetworkStatusWriter.ToAnnotation([status]));
    }

    [Fact]
    public void Render_ExtraNetworkWithoutDns_DefaultOmittedDnsEmpty()
    {
        var result = Result("""{"interfaces":[{"name":"net1","mac":"02:00:00:00:00:01","sandbox":"/p"}],"ips":[{"address":"192.168.1.10/24","interface":0}]}""");

        var status = NetworkStatusRenderer.Render(Attach(1, "pods/macvlan-a", "net1"), result, []);

        Assert.Equal(
            """[{"name":"pods/macvlan-a","interface":"net1","ips":["192.168.1.10"],"mac":"02:00:00:00:00:01","dns":{}}]""",
            NetworkStatusWriter.ToAnnotation([status]));
    }

    [Fact]
    public void Render_NoInterfaces_AllIpsAndRequestedName()
    {
        var result = Result("""{"ips":[{"address":"10.1.0.2/16"},{"address":"10.2.0.2/16"}]}""");

        var status = NetworkStatusRenderer.Render(Attach(1, "pods/a", "net1"), result, []);

        Assert.Equal("net1", status.Interface);
        Assert.Equal(["10.1.0.2", "10.2.0.2"], status.Ips!);
        Assert.Null(status.Mac);
    }

    [Fact]
    public void Render_DefaultRouteMoved_GatewaysFollowPerFamily()
    {
        var change = new DefaultRouteChange(AddressFamily.InterNetwork, IPAddress.Parse("192.168.1.1"), "net1", ["eth0"]);

        var cluster = NetworkStatusRenderer.Render(Attach(0, "cbr0", "eth0"), Result(BridgeResult), [change]);
        var extra = NetworkStatusRenderer.Render(Attach(1, "pods/a", "net1"), Result("""{"interfaces":[{"name":"net1","sandbox":"/p"}]}"""), [change]);

        Assert.Equal(["fd00::1"], cluster.Gateway!);
        Assert.Equal(["192.168.1.1"], extra.Gateway!);
    }

    [Fact]
    public void Render_DefaultRouteOnOwnerWithItsOwnDefault_RequestedGatewayReplacesThatFamilysOnly()
    {
        var change = new DefaultRouteChange(AddressFamily.InterNetwork, IPAddress.Parse("192.168.1.1"), "net1", ["eth0"]);
        var result = Result("""
            {"interfaces":[{"name":"net1","sandbox":"/p"}],"ips":[{"address":"192.168.1.10/24","interface":0}],
             "routes":[{"dst":"0.0.0.0/0","gw":"192.168.1.254"},{"dst":"::/0","gw":"fd01::1"},{"dst":"10.0.0.0/8","gw":"192.168.1.253"}]}
            """);

        var owner = NetworkStatusRenderer.Render(Attach(1, "pods/a", "net1"), result, [change]);

        Assert.Equal(["fd01::1", "192.168.1.1"], owner.Gateway!);
    }

    [Theory]
    [InlineData("""{"dst":"0.0.0.0/0","gw":"192.168.1.254","priority":100}""", "net1")]
    [InlineData("""{"dst":"0.0.0.0/0","gw":"192.168.1.254","table":100}""", "net1")]
    [InlineData("""{"dst":"0.0.0.0/0","gw":"192.168.1.254","table":100}""", "eth0")]
    public void Render_DefaultRouteEditLeavesThisRoute_ItsGatewayStillListed(string route, string owner)
    {
        var change = new DefaultRouteChange(AddressFamily.InterNetwork, IPAddress.Parse("192.168.1.1"), owner, owner == "net1" ? [] : ["net1"]);
        var result = Result($$"""{"interfaces":[{"name":"net1","sandbox":"/p"}],"routes":[{{route}}]}""");

        var status = NetworkStatusRenderer.Render(Attach(1, "pods/a", "net1"), result, [change]);

        Assert.Equal(owner == "net1" ? ["192.168.1.254", "192.168.1.1"] : ["192.168.1.254"], status.Gateway!);
    }

    [Theory]
    [InlineData("""{"dst":"0.0.0.0/0","gw":"192.168.1.254","priority":0}""")]
    [InlineData("""{"dst":"0.0.0.0/0","gw":"192.168.1.254","table":254}""")]
    public void Render_DefaultRouteOnOwnerMainTableMetricZero_Replaced(string route)
    {
        var change = new DefaultRouteChange(AddressFamily.InterNetwork, IPAddress.Parse("192.168.1.1"), "net1", []);
        var result = Result($$"""{"interfaces":[{"name":"net1","sandbox":"/p"}],"routes":[{{route}}]}""");

        var status = NetworkStatusRenderer.Render(Attach(1, "pods/a", "net1"), result, [change]);

        Assert.Equal(["192.168.1.1"], status.Gateway!);
    }

    [Fact]
    public void Render_DeviceInfo_Included()
    {
        var info = JsonNode.Parse("""{"type":"pci","version":"1.1.0","pci":{"pci-address":"0000:03:00.1"}}""")!.AsObject();

        var status = NetworkStatusRenderer.Render(Attach(1, "pods/sriov", "net1"), Result("{}"), [], info);

        Assert.Contains("\"device-info\":{\"type\":\"pci\",\"version\":\"1.1.0\",\"pci\":{\"pci-address\":\"0000:03:00.1\"}}",
            NetworkStatusWriter.ToAnnotation([status]));
    }
}
