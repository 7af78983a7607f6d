using System.Text.Json.Nodes;
using Plexus.Bench.Scenarios;

namespace Plexus.Bench.Tests.Scenarios;

public sealed class ScaleObjectsTests
{
    [Theory]
    [InlineData(100)]
    [InlineData(1_000)]
    [InlineData(10_000)]
    public void Pod_RequestedNads_ExistInThePodsNamespace(int nads)
    {
        var nadNamespaces = Enumerable.Range(0, nads).ToDictionary(i => $"nad-{i}", ScaleObjects.Namespace);

        foreach (var i in new[] { 0, 1, 19, 20, 249, 9_999 })
        {
            var pod = ScaleObjects.Pod(i, "node-a", nads);
            var ns = (string)pod["metadata"]!["namespace"]!;
            var requested = ((string)pod["metadata"]!["annotations"]!["k8s.v1.cni.cncf.io/networks"]!).Split(',');

            Assert.Equal(2, requested.Length);
            Assert.All(requested, name => Assert.Equal(ns, nadNamespaces[name]));
            Assert.Equal("node-a", (string)pod["spec"]!["nodeName"]!);
        }
    }

    [Fact]
    public void Pod_Annotations_ValidJsonNetworkStatus()
    {
        var status = (string)ScaleObjects.Pod(7, "n", 100)["metadata"]!["annotations"]!["k8s.v1.cni.cncf.io/network-status"]!;

        Assert.Equal(3, JsonNode.Parse(status)!.AsArray().Count);
    }

    [Fact]
    public void Nad_Config_ValidJsonNamedAfterTheNad()
    {
        var nad = ScaleObjects.Nad(1234);
        var config = JsonNode.Parse((string)nad["spec"]!["config"]!)!;

        Assert.Equal("nad-1234", (string)config["name"]!);
        Assert.Equal("10.4.234.0/24", (string)config["ipam"]!["ranges"]![0]![0]!["subnet"]!);
    }

    [Fact]
    public void Pod_DistinctNames()
    {
        Assert.Equal(10_000, Enumerable.Range(0, 10_000).Select(i => (string)ScaleObjects.Pod(i, "n", 100)["metadata"]!["name"]!).Distinct().Count());
    }
}
