using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Plexus.Cni;
using Plexus.Core.Planning;
using Plexus.Core.Routes;

namespace Plexus.Core.Tests.Routes;

public sealed class DefaultRoutePlannerTests
{
    private static Attachment Attach(int index, string ifName, params string[] gateways) => new()
    {
        Index = index,
        Network = $"pods/n{index}",
        IfName = ifName,
        Conf = new JsonObject { ["type"] = "bridge" },
        DefaultRouteGateways = gateways,
    };

    [Fact]
    public void Plan_NoRequests_NoChanges()
    {
        Assert.Empty(DefaultRoutePlanner.Plan([Attach(0, "eth0"), Attach(1, "net1")]));
    }

    [Fact]
    public void Plan_OneIpv4Request_RemovesOnlyIpv4FromOthers()
    {
        var changes = DefaultRoutePlanner.Plan([Attach(0, "eth0"), Attach(1, "net1", "10.1.1.1"), Attach(2, "net2")]);

        var change = Assert.Single(changes);
        Assert.Equal(AddressFamily.InterNetwork, change.Family);
        Assert.Equal(IPAddress.Parse("10.1.1.1"), change.Gateway);
        Assert.Equal("net1", change.IfName);
        Assert.Equal(["eth0", "net2"], change.RemoveFrom);
    }

    [Fact]
    public void Plan_OnePerFamilyOnDifferentNetworks_TwoIndependentChanges()
    {
        var changes = DefaultRoutePlanner.Plan([Attach(0, "eth0"), Attach(1, "net1", "10.1.1.1"), Attach(2, "net2", "fd00::1")]);

        Assert.Equal([(AddressFamily.InterNetwork, "net1"), (AddressFamily.InterNetworkV6, "net2")], changes.Select(c => (c.Family, c.IfName)).ToArray());
        Assert.Equal(["eth0", "net2"], changes[0].RemoveFrom);
        Assert.Equal(["eth0", "net1"], changes[1].RemoveFrom);
    }

    [Fact]
    public void Plan_BothFamiliesOnOneNetwork_Allowed()
    {
        var changes = DefaultRoutePlanner.Plan([Attach(0, "eth0"), Attach(1, "net1", "10.1.1.1", "fd00::1")]);

        Assert.All(changes, c => Assert.Equal("net1", c.IfName));
        Assert.Equal(2, changes.Count);
    }

    [Theory]
    [InlineData("10.1.1.1", "10.2.2.1", "IPv4")]
    [InlineData("fd00::1", "fd01::1", "IPv6")]
    public void Plan_TwoRequestsSameFamily_EcmpError(string first, string second, string family)
    {
        var error = Assert.Throws<CniException>(() => DefaultRoutePlanner.Plan([Attach(0, "eth0"), Attach(1, "net1", first), Attach(2, "net2", second)]));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains("does not support ECMP for default-route", error.Message);
        Assert.Contains($"2 {family} default routes", error.Message);
        Assert.Contains("pods/n1 (net1)", error.Message);
        Assert.Contains("pods/n2 (net2)", error.Message);
    }

    [Fact]
    public void Plan_TwoGatewaysSameFamilyInOneSelection_EcmpError()
    {
        var error = Assert.Throws<CniException>(() => DefaultRoutePlanner.Plan([Attach(0, "eth0"), Attach(1, "net1", "10.1.1.1", "10.1.1.2")]));

        Assert.Contains("does not support ECMP", error.Message);
    }
}
