using System.Text.Json.Nodes;
using Plexus.Cni;
using Plexus.Core.Planning;
using Plexus.Core.Selection;

namespace Plexus.Core.Tests.Planning;

public sealed class AttachmentPlannerTests
{
    internal static NetworkRequest Request(string name, string conf, NetworkSelection? selection = null) =>
        new(DelegateNetwork.Create(JsonNode.Parse(conf)!.AsObject(), name, name.Split('/')[^1]), selection);

    private static NetworkRequest Cluster => Request("cbr0", """{"cniVersion":"1.0.0","name":"cbr0","plugins":[{"type":"bridge","capabilities":{"portMappings":true}}]}""");

    private static NetworkSelection Select(string json) =>
        Assert.Single(NetworkSelectionParser.Parse("[" + json + "]", "pods"));

    [Fact]
    public void Plan_ClusterThenExtras_NamesInterfaces()
    {
        var attachments = AttachmentPlanner.Plan(Cluster,
        [
            Request("pods/a", """{"type":"macvlan"}""", Select("""{"name":"a"}""")),
            Request("pods/b", """{"type":"bridge"}""", Select("""{"name":"b","interface":"data0"}""")),
            Request("pods/c", """{"type":"bridge"}""", Select("""{"name":"c"}""")),
        ], "eth0", null);

        Assert.Equal([("cbr0", "eth0"), ("pods/a", "net1"), ("pods/b", "data0"), ("pods/c", "net3")],
            attachments.Select(a => (a.Network, a.IfName)).ToArray());
        Assert.True(attachments[0].IsClusterNetwork);
        Assert.False(attachments[1].IsClusterNetwork);
        Assert.Equal("a", (string?)attachments[1].Conf["name"]);
    }

    [Fact]
    public void Plan_DuplicateInterface_InvalidConfig()
    {
        var error = Assert.Throws<CniException>(() => AttachmentPlanner.Plan(Cluster,
        [
            Request("pods/a", """{"type":"macvlan"}""", Select("""{"name":"a","interface":"net2"}""")),
            Request("pods/b", """{"type":"bridge"}""", Select("""{"name":"b"}""")),
        ], "eth0", null));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains("\"net2\" is used by both network pods/a and network pods/b", error.Message);
    }

    [Fact]
    public void Plan_ExtraRequestsClusterInterface_InvalidConfig()
    {
        var error = Assert.Throws<CniException>(() => AttachmentPlanner.Plan(Cluster,
            [Request("pods/a", """{"type":"macvlan"}""", Select("""{"name":"a","interface":"eth0"}"""))], "eth0", null));

        Assert.Contains("\"eth0\" is used by both network cbr0 and network pods/a", error.Message);
    }

    [Fact]
    public void Plan_RuntimeConfig_ClusterNetworkOnly()
    {
        var runtime = JsonNode.Parse("""{"portMappings":[{"hostPort":80,"containerPort":8080}],"io.kubernetes.cri.pod-annotations":{"a":"b"}}""")!.AsObject();

        var attachments = AttachmentPlanner.Plan(Cluster, [Request("pods/a", """{"type":"macvlan"}""", Select("""{"name":"a"}"""))], "eth0", runtime);

        Assert.True(JsonNode.DeepEquals(runtime, attachments[0].CapabilityArgs));
        Assert.Null(attachments[1].CapabilityArgs);
    }

    [Fact]
    public void Plan_SelectionKeysWithCapabilities_BecomeCapabilityArgs()
    {
        var conf = """
            {"name":"n","plugins":[{"type":"macvlan","capabilities":{"ips":true}},
             {"type":"tuning","capabilities":{"mac":true,"infinibandGUID":true}},
             {"type":"portmap","capabilities":{"portMappings":true}},{"type":"bandwidth","capabilities":{"bandwidth":true}}]}
            """;
        var selection = Select("""
            {"name":"a","ips":["10.1.1.5/24"],"mac":"02:00:00:00:00:01","infiniband-guid":"c2:11:22:33:44:55:66:77",
             "portMappings":[{"hostPort":80,"containerPort":8080,"protocol":"tcp"}],"bandwidth":{"ingressRate":10,"egressRate":20},
             "deviceID":"0000:03:00.1"}
            """);

        var args = AttachmentPlanner.Plan(Cluster, [Request("pods/a", conf, selection)], "eth0", null)[1].CapabilityArgs!;

        Assert.Equal(
            """{"ips":["10.1.1.5/24"],"mac":"02:00:00:00:00:01","portMappings":[{"hostPort":80,"containerPort":8080,"protocol":"tcp"}],"bandwidth":{"ingressRate":10,"ingressBurst":0,"egressRate":20,"egressBurst":0},"infinibandGUID":"c2:11:22:33:44:55:66:77","deviceID":"0000:03:00.1"}""",
            args.ToJsonString());
    }

    [Theory]
    [InlineData("""{"name":"a","ips":["10.1.1.5/24"]}""", "\"ips\" (capability \"ips\")")]
    [InlineData("""{"name":"a","mac":"02:00:00:00:00:01"}""", "\"mac\" (capability \"mac\")")]
    [InlineData("""{"name":"a","portMappings":[{"hostPort":80,"containerPort":80}]}""", "\"portMappings\"")]
    [InlineData("""{"name":"a","bandwidth":{"ingressRate":1}}""", "\"bandwidth\"")]
    [InlineData("""{"name":"a","infiniband-guid":"c2:11:22:33:44:55:66:77"}""", "\"infiniband-guid\" (capability \"infinibandGUID\")")]
    public void Plan_SelectionKeyWithoutCapability_FailsPerNpwg(string selection, string expected)
    {
        var error = Assert.Throws<CniException>(() => AttachmentPlanner.Plan(Cluster,
            [Request("pods/a", """{"type":"macvlan","capabilities":{"ips":false}}""", Select(selection))], "eth0", null));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains("network pods/a", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Plan_ClusterOverrideSelection_OverridesRuntimeKeys()
    {
        var cluster = Request("kube-system/alt", """{"name":"alt","plugins":[{"type":"bridge","capabilities":{"ips":true}}]}""", Select("""{"name":"alt","ips":["10.9.9.9/24"]}"""));
        var runtime = JsonNode.Parse("""{"ips":["10.0.0.1/24"],"other":1}""")!.AsObject();

        var args = AttachmentPlanner.Plan(cluster, [], "eth0", runtime)[0].CapabilityArgs!;

        Assert.Equal("""{"ips":["10.9.9.9/24"],"other":1}""", args.ToJsonString());
    }

    [Fact]
    public void Plan_CniArgs_MergedIntoEveryPluginAnnotationWins()
    {
        var conf = """{"name":"n","plugins":[{"type":"bridge","args":{"cni":{"keep":1,"over":"conf"},"other":true}},{"type":"tuning"}]}""";
        var selection = Select("""{"name":"a","cni-args":{"over":"annotation","new":[1]}}""");
        var request = Request("pods/a", conf, selection);

        var attachment = AttachmentPlanner.Plan(Cluster, [request], "eth0", null)[1];

        Assert.Equal("""{"cni":{"keep":1,"over":"annotation","new":[1]},"other":true}""", attachment.Conf["plugins"]![0]!["args"]!.ToJsonString());
        Assert.Equal("""{"cni":{"over":"annotation","new":[1]}}""", attachment.Conf["plugins"]![1]!["args"]!.ToJsonString());
        Assert.Null(request.Network.Conf["plugins"]![0]!["args"]!["cni"]!["new"]);
    }

    [Fact]
    public void Plan_DeviceFromResource_EveryPluginGetsDeviceIdAndPciBusIdPlusCapabilityAndInfoFile()
    {
        var conf = """{"name":"n","plugins":[{"type":"host-device"},{"type":"tuning"}]}""";

        var attachment = AttachmentPlanner.Plan(Cluster, [Request("pods/a", conf, Select("""{"name":"a"}"""))], "eth0", null,
            [null, "0000:03:00.2"], (network, ifName) => $"/info/{network}/{ifName}")[1];

        Assert.All(attachment.Conf["plugins"]!.AsArray(), p => Assert.Equal(("0000:03:00.2", "0000:03:00.2"), ((string?)p!["deviceID"], (string?)p["pciBusID"])));
        Assert.Equal("""{"deviceID":"0000:03:00.2","CNIDeviceInfoFile":"/info/pods/a/net1"}""", attachment.CapabilityArgs!.ToJsonString());
        Assert.Equal(("0000:03:00.2", "/info/pods/a/net1"), (attachment.DeviceId, attachment.DeviceInfoFile));
    }

    [Fact]
    public void Plan_SelectionDeviceIdOnly_CapabilityNotConf()
    {
        var attachment = AttachmentPlanner.Plan(Cluster, [Request("pods/a", """{"type":"sriov"}""", Select("""{"name":"a","deviceID":"0000:05:00.1"}"""))], "eth0", null,
            null, (network, ifName) => $"/info/{ifName}")[1];

        Assert.Null(attachment.Conf["plugins"]![0]!["deviceID"]);
        Assert.Equal("""{"deviceID":"0000:05:00.1","CNIDeviceInfoFile":"/info/net1"}""", attachment.CapabilityArgs!.ToJsonString());
        Assert.Null(attachment.ResourceName);
    }

    [Fact]
    public void Plan_ResourceAndSelectionDeviceId_KubeletDeviceWinsAsInMultus()
    {
        var request = Request("pods/a", """{"type":"sriov"}""", Select("""{"name":"a","deviceID":"0000:05:00.1"}"""));

        var attachment = AttachmentPlanner.Plan(Cluster, [request], "eth0", null, [null, "0000:03:00.2"])[1];

        Assert.Equal("0000:03:00.2", (string?)attachment.Conf["plugins"]![0]!["deviceID"]);
        Assert.Equal("0000:03:00.2", (string?)attachment.CapabilityArgs!["deviceID"]);
        Assert.Null(attachment.DeviceInfoFile);
    }

    [Fact]
    public void Plan_StaticDelegateWithoutSelection_NoArgs()
    {
        var attachment = AttachmentPlanner.Plan(Cluster, [Request("static", """{"name":"static","type":"bridge"}""")], "eth0", null)[1];

        Assert.Equal(("static", "net1"), (attachment.Network, attachment.IfName));
        Assert.Null(attachment.CapabilityArgs);
        Assert.Empty(attachment.DefaultRouteGateways);
    }
}
