using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Plexus.Cni;
using Plexus.Cni.Results;
using Plexus.Core.Planning;
using Plexus.Core.Ports;
using Plexus.Core.Selection;
using Plexus.Core.Status;

namespace Plexus.MicroBench;

/// <summary>The pure steps every ADD goes through, with their allocations.</summary>
[MemoryDiagnoser]
public class HotPathBenchmarks
{
    private const string CommaAnnotation = "macvlan-a,default/bridge-b@data0,other/sriov-c";

    private const string JsonAnnotation = """
        [{"name":"macvlan-a","interface":"net1","ips":["192.0.2.10/24"],"mac":"02:00:00:00:00:01","default-route":["192.0.2.1"]},
         {"name":"bridge-b","namespace":"default","cni-args":{"foo":"bar"}}]
        """;

    private static readonly NetworkAttachmentDefinition Nad = new()
    {
        Namespace = "default",
        Name = "macvlan-a",
        Config = """
            {"cniVersion":"1.0.0","plugins":[{"type":"macvlan","master":"eth0","mode":"bridge",
             "ipam":{"type":"host-local","ranges":[[{"subnet":"192.0.2.0/24"}]]}},
             {"type":"tuning","capabilities":{"mac":true}}]}
            """,
    };

    private static readonly byte[] Result100Bytes = """
        {"cniVersion":"1.0.0","interfaces":[{"name":"cni0","mac":"aa:bb:cc:dd:ee:01"},{"name":"veth1","mac":"aa:bb:cc:dd:ee:02"},
         {"name":"eth0","mac":"aa:bb:cc:dd:ee:03","sandbox":"/run/netns/pod"}],
         "ips":[{"address":"10.88.0.5/24","gateway":"10.88.0.1","interface":2}],
         "routes":[{"dst":"0.0.0.0/0","gw":"10.88.0.1"}],"dns":{"nameservers":["10.96.0.10"]}}
        """u8.ToArray();

    private readonly CniResult _result = CniResult.Parse(Result100Bytes, CniVersion.V100);

    private readonly Attachment _attachment = new()
    {
        Index = 0,
        Network = "default/primary",
        IfName = "eth0",
        Conf = new JsonObject { ["name"] = "primary", ["type"] = "bridge" },
    };

    [Benchmark]
    public int ParseCommaAnnotation() => NetworkSelectionParser.Parse(CommaAnnotation, "default").Count;

    [Benchmark]
    public int ParseJsonAnnotation() => NetworkSelectionParser.Parse(JsonAnnotation, "default").Count;

    [Benchmark]
    public object? ResolveNadConfig() => NadConfigResolver.FromSpec(Nad);

    [Benchmark]
    public CniResult ParseAndConvertResultTo040() => CniResult.Parse(Result100Bytes, CniVersion.V100).ConvertTo(CniVersion.V040);

    [Benchmark]
    public CniResult ConvertResultTo020() => _result.ConvertTo(CniVersion.V020);

    [Benchmark]
    public string RenderNetworkStatus() =>
        NetworkStatusWriter.ToAnnotation([NetworkStatusRenderer.Render(_attachment, _result, [])]);
}
