using System.Text.Json.Nodes;
using Plexus.NodeAgent.Selection;

namespace Plexus.NodeAgent.Tests.Selection;

public sealed class MetaPluginsTests
{
    [Theory]
    [InlineData("{\"type\":\"bridge\",\"ipam\":{\"type\":\"host-local\"}}", 0)]
    [InlineData("{\"type\":\"multus\",\"delegates\":[{\"type\":\"bridge\"}]}", 1)]
    [InlineData("{\"plugins\":[{\"type\":\"plexus\",\"delegates\":[{\"plugins\":[{\"type\":\"multus\",\"delegates\":[{\"type\":\"ptp\"}]}]}]}]}", 2)]
    [InlineData("{\"type\":\"multus\",\"delegates\":[{\"type\":\"bridge\"},{\"type\":\"multus-shim\",\"delegates\":[{\"type\":\"plexus-shim\"}]}]}", 3)]
    [InlineData("{\"type\":\"Multus\"}", 0)]
    [InlineData("{\"type\":7}", 0)]
    public void NestingDepth_Config_CountsNestedMetaPlugins(string json, int depth) =>
        Assert.Equal(depth, MetaPlugins.NestingDepth(JsonNode.Parse(json)));

    [Fact]
    public void NestingDepth_GeneratedMultusNest_MatchesLevels()
    {
        var nested = Scenarios.NestedMultus("{\"type\":\"calico\"}", 7);

        Assert.Equal(7, MetaPlugins.NestingDepth(JsonNode.Parse(nested)));
        Assert.Equal(["multus"], MetaPlugins.TypesIn(JsonNode.Parse(nested)));
    }
}
