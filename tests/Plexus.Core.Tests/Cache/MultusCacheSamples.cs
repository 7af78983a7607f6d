using System.Text;

namespace Plexus.Core.Tests.Cache;

/// <summary>
/// Multus delegate caches in the shape Multus 4.x writes (Go's JSON of <c>[]*DelegateNetConf</c>: <c>Conf</c> and
/// <c>ConfList</c> restating the config, <c>Bytes</c> holding it as base64, the selection's requests beside them).
/// </summary>
internal static class MultusCacheSamples
{
    public const string ClusterConf = """{"cniVersion":"0.3.1","name":"cbr0","type":"bridge","bridge":"cni0","capabilities":{"portMappings":true},"ipam":{"type":"host-local","subnet":"10.0.0.0/24"}}""";

    public const string MacvlanConfList = """{"cniVersion":"0.4.0","name":"macvlan-conf","plugins":[{"type":"macvlan","master":"eth1","capabilities":{"ips":true,"portMappings":true},"ipam":{"type":"static"}},{"type":"tuning","capabilities":{"mac":true}}]}""";

    public const string DataConf = """{"cniVersion":"0.4.0","name":"data-net","type":"bridge","bridge":"br-data","deviceID":"0000:03:00.1","capabilities":{"deviceID":true,"CNIDeviceInfoFile":true}}""";

    public static string Base64(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json));

    /// <summary>
    /// The cluster network (a conf, named by its conf), a NAD conflist with ips and mac requested (attached as net1),
    /// and a NAD with a requested interface, a default route and a device.
    /// </summary>
    public static string ThreeDelegates() => $$$"""
        [{"Conf":{"cniVersion":"0.3.1","name":"cbr0","type":"bridge","capabilities":{"portMappings":true},"ipam":{"type":"host-local"},"dns":{}},"ConfList":{},"Name":"cbr0","IsFilterV4Gateway":true,"IsFilterV6Gateway":false,"Bytes":"{{{Base64(ClusterConf)}}}"},
         {"Conf":{"cniVersion":"0.4.0","name":"macvlan-conf","ipam":{},"dns":{}},"ConfList":{"cniVersion":"0.4.0","name":"macvlan-conf","plugins":[{"type":"macvlan","capabilities":{"ips":true,"portMappings":true},"ipam":{"type":"static"},"dns":{}},{"type":"tuning","capabilities":{"mac":true},"ipam":{},"dns":{}}]},"Name":"pods/macvlan-conf","macRequest":"02:00:00:00:00:05","ipRequest":["10.1.1.5/24"],"IsFilterV4Gateway":false,"IsFilterV6Gateway":false,"Bytes":"{{{Base64(MacvlanConfList)}}}"},
         {"Conf":{"cniVersion":"0.4.0","name":"data-net","type":"bridge","capabilities":{"deviceID":true,"CNIDeviceInfoFile":true},"ipam":{},"dns":{}},"ConfList":{},"Name":"pods/data-net","ifnameRequest":"data0","default-route":["10.2.0.1"],"IsFilterV4Gateway":false,"IsFilterV6Gateway":false,"deviceID":"0000:03:00.1","resourceName":"intel.com/sriov","Bytes":"{{{Base64(DataConf)}}}"}]
        """;
}
