using Plexus.Cni;
using Plexus.Core.Selection;

namespace Plexus.Core.Tests.Selection;

public sealed class NetworkSelectionParserTests
{
    private static CniException ParseError(string value) =>
        Assert.Throws<CniException>(() => NetworkSelectionParser.Parse(value, "pods"));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Parse_Empty_NoNetworks(string? value)
    {
        Assert.Empty(NetworkSelectionParser.Parse(value, "pods"));
    }

    [Fact]
    public void Parse_CommaForm_ResolvesNamespaceAndInterface()
    {
        var selections = NetworkSelectionParser.Parse("macvlan-a, default/bridge-b@data0 ,other/c@my_if", "pods");

        Assert.Equal(
            [("pods", "macvlan-a", null), ("default", "bridge-b", "data0"), ("other", "c", "my_if")],
            selections.Select(s => (s.Namespace, s.Name, s.RequestedInterface)).ToArray());
    }

    [Fact]
    public void Parse_CommaFormEmptyNamespaceOrInterface_PodNamespaceAndDefaultInterface()
    {
        var selections = NetworkSelectionParser.Parse("/net-a, net-b@ ,/net-c@", "pods");

        Assert.Equal(
            [("pods", "net-a", null), ("pods", "net-b", null), ("pods", "net-c", null)],
            selections.Select(s => (s.Namespace, s.Name, s.RequestedInterface)).ToArray());
    }

    [Theory]
    [InlineData("a/b/c", "more than one '/'")]
    [InlineData("a@b@c", "more than one '@'")]
    [InlineData("Macvlan", "not a DNS-1123 label")]
    [InlineData("ns_1/net", "not a DNS-1123 label")]
    [InlineData("-net", "not a DNS-1123 label")]
    [InlineData("net-", "not a DNS-1123 label")]
    [InlineData("net.a", "not a DNS-1123 label")]
    [InlineData("a,,b", "network name is empty")]
    [InlineData("ns/", "network name is empty")]
    [InlineData("net@abcdefghijklmnop", "too long")]
    [InlineData("net@a b", "whitespace")]
    [InlineData("net@a:b", "must not contain '/', ':' or whitespace")]
    [InlineData("net@..", "must not be . or ..")]
    public void Parse_MalformedCommaItem_InvalidConfigNamingItem(string value, string expected)
    {
        var error = ParseError(value);

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains("k8s.v1.cni.cncf.io/networks", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Parse_CommaFormLongLabel_Rejected()
    {
        var error = ParseError(new string('a', 64));

        Assert.Contains("not a DNS-1123 label", error.Message);
    }

    [Fact]
    public void Parse_CommaFormFifteenByteInterface_Accepted()
    {
        var selection = Assert.Single(NetworkSelectionParser.Parse("net@abcdefghijklmno", "pods"));

        Assert.Equal("abcdefghijklmno", selection.RequestedInterface);
    }

    [Fact]
    public void Parse_SeveralBadItems_ReportsEachOne()
    {
        var error = ParseError("Bad,ok,a/b/c,net@x y");

        Assert.Contains("item \"Bad\"", error.Message);
        Assert.Contains("item \"a/b/c\"", error.Message);
        Assert.Contains("item \"net@x y\"", error.Message);
        Assert.DoesNotContain("item \"ok\"", error.Message);
    }

    [Fact]
    public void Parse_JsonFormEveryKey_ReadsEachValue()
    {
        var selection = Assert.Single(NetworkSelectionParser.Parse("""
            [{"name":"sriov","namespace":"infra","interface":"ib0","ips":["10.1.1.5/24","fd00::5"],
              "mac":"02:00:00:00:00:01","default-route":["10.1.1.1"],
              "portMappings":[{"hostPort":8080,"containerPort":80,"protocol":"tcp","hostIP":"0.0.0.0"}],
              "bandwidth":{"ingressRate":1000,"ingressBurst":2000,"egressRate":3000,"egressBurst":4000},
              "cni-args":{"foo":"bar","n":[1]},"infiniband-guid":"c2:11:22:33:44:55:66:77","deviceID":"0000:03:00.1",
              "unknown-key":true}]
            """, "pods"));

        Assert.Equal("infra/sriov", selection.QualifiedName);
        Assert.Equal("ib0", selection.RequestedInterface);
        Assert.Equal(["10.1.1.5/24", "fd00::5"], selection.Ips!);
        Assert.Equal("02:00:00:00:00:01", selection.Mac);
        Assert.Equal(["10.1.1.1"], selection.DefaultRoute!);
        Assert.Equal(new PortMapping { HostPort = 8080, ContainerPort = 80, Protocol = "tcp", HostIp = "0.0.0.0" }, Assert.Single(selection.PortMappings!));
        Assert.Equal(new Bandwidth { IngressRate = 1000, IngressBurst = 2000, EgressRate = 3000, EgressBurst = 4000 }, selection.Bandwidth);
        Assert.Equal("""{"foo":"bar","n":[1]}""", selection.CniArgs!.ToJsonString());
        Assert.Equal("c2:11:22:33:44:55:66:77", selection.InfinibandGuid);
        Assert.Equal("0000:03:00.1", selection.DeviceId);
    }

    [Fact]
    public void Parse_JsonFormInterfaceRequestAlias_UsedAsInterface()
    {
        var selection = Assert.Single(NetworkSelectionParser.Parse("""[{"name":"a","interfaceRequest":"data1"}]""", "pods"));

        Assert.Equal("pods/a", selection.QualifiedName);
        Assert.Equal("data1", selection.RequestedInterface);
    }

    [Fact]
    public void Parse_JsonFormIpamClaimWithoutIps_Accepted()
    {
        var selection = Assert.Single(NetworkSelectionParser.Parse("""[{"name":"a","ipam-claim-reference":"claim-1"}]""", "pods"));

        Assert.Equal("claim-1", selection.IpamClaimReference);
    }

    [Theory]
    [InlineData("""{"name":"a"}""", "not a list")]
    [InlineData("""[{"name":"a"}""", "not a list")]
    [InlineData("""["a"]""", "not a list")]
    [InlineData("""[null]""", "null elements")]
    [InlineData("""[{"name":"a","ips":"10.0.0.1"}]""", "$[0].ips")]
    [InlineData("""[{"name":"a","portMappings":[{"hostPort":"80"}]}]""", "not a list")]
    [InlineData("""[{}]""", "\"name\" is missing")]
    [InlineData("""[{"name":"Upper"}]""", "not a valid object name")]
    [InlineData("""[{"name":"a","namespace":"a.b"}]""", "not a valid namespace")]
    [InlineData("""[{"name":"a","interface":"way-too-long-interface"}]""", "too long")]
    [InlineData("""[{"name":"a","interfaceRequest":"a/b"}]""", "must not contain '/', ':' or whitespace")]
    [InlineData("""[{"name":"a","ips":["10.0.0.300"]}]""", "neither an IP address nor a CIDR")]
    [InlineData("""[{"name":"a","ips":["10.0.0.1/33"]}]""", "neither an IP address nor a CIDR")]
    [InlineData("""[{"name":"a","ips":["1"]}]""", "neither an IP address nor a CIDR")]
    [InlineData("""[{"name":"a","ips":["fe80::1%eth0"]}]""", "neither an IP address nor a CIDR")]
    [InlineData("""[{"name":"a","ips":["10.0.0.1/24"],"ipam-claim-reference":"c"}]""", "cannot be used together")]
    [InlineData("""[{"name":"a","mac":"02:00:00:00:00"}]""", "not a valid hardware address")]
    [InlineData("""[{"name":"a","mac":"zz:00:00:00:00:01"}]""", "not a valid hardware address")]
    [InlineData("""[{"name":"a","infiniband-guid":"zz"}]""", "infiniband-guid \"zz\" is not a valid hardware address")]
    [InlineData("""[{"name":"a","infiniband-guid":"c2:11:22:33:44:55:66"}]""", "infiniband-guid")]
    [InlineData("""[{"name":"a","default-route":["gw"]}]""", "default-route entry \"gw\"")]
    [InlineData("""[{"name":"a","default-route":["10.0.0.0/24"]}]""", "is not an IP address")]
    [InlineData("""[{"name":"a","portMappings":[{"hostPort":0,"containerPort":80}]}]""", "ports must be 1-65535")]
    [InlineData("""[{"name":"a","portMappings":[{"hostPort":80,"containerPort":70000}]}]""", "ports must be 1-65535")]
    [InlineData("""[{"name":"a","portMappings":[{"hostPort":80,"containerPort":80,"protocol":"icmp"}]}]""", "protocol \"icmp\"")]
    [InlineData("""[{"name":"a","portMappings":[{"hostPort":80,"containerPort":80,"hostIP":"x"}]}]""", "hostIP \"x\"")]
    [InlineData("""[{"name":"a","bandwidth":{"ingressRate":-1}}]""", "must not be negative")]
    [InlineData("""[{"name":"a","name":"b"}]""", "Duplicate")]
    [InlineData("""[{"name":"a","cni-args":{"x":1,"x":2}}]""", "Duplicate")]
    public void Parse_MalformedJsonForm_InvalidConfig(string value, string expected)
    {
        var error = ParseError(value);

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains(expected, error.Message);
        Assert.Contains(value, error.Details);
    }

    [Theory]
    [InlineData("02:00:5e:10:00:01")]
    [InlineData("02-00-5E-10-00-01")]
    [InlineData("0200.5e10.0001")]
    [InlineData("02:00:5e:10:00:00:00:01")]
    [InlineData("00:00:00:00:fe:80:00:00:00:00:00:00:02:00:5e:10:00:00:00:01")]
    public void Parse_JsonFormMacForms_Accepted(string mac)
    {
        var selection = Assert.Single(NetworkSelectionParser.Parse($$"""[{"name":"a","mac":"{{mac}}"}]""", "pods"));

        Assert.Equal(mac, selection.Mac);
    }

    [Fact]
    public void ParseDefaultNetwork_NoNamespace_UsesMultusNamespace()
    {
        var selection = NetworkSelectionParser.ParseDefaultNetwork("calico-alt", "kube-system");

        Assert.Equal("kube-system/calico-alt", selection!.QualifiedName);
    }

    [Fact]
    public void ParseDefaultNetwork_Absent_Null()
    {
        Assert.Null(NetworkSelectionParser.ParseDefaultNetwork(null, "kube-system"));
    }

    [Theory]
    [InlineData("a,b")]
    [InlineData("""[{"name":"a"},{"name":"b"}]""")]
    public void ParseDefaultNetwork_MoreThanOne_InvalidConfig(string value)
    {
        var error = Assert.Throws<CniException>(() => NetworkSelectionParser.ParseDefaultNetwork(value, "kube-system"));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains("v1.multus-cni.io/default-network", error.Message);
        Assert.Contains("selects 2 networks", error.Message);
    }

    [Fact]
    public void ParseDefaultNetwork_Malformed_NamesDefaultNetworkAnnotation()
    {
        var error = Assert.Throws<CniException>(() => NetworkSelectionParser.ParseDefaultNetwork("a/b/c", "kube-system"));

        Assert.Contains("v1.multus-cni.io/default-network", error.Message);
    }
}
