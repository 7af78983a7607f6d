using System.Text;
using System.Text.Json.Nodes;
using Plexus.NodeAgent.Selection;

namespace Plexus.NodeAgent.Tests.Selection;

public sealed class MetaScannerTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(30)]
    [InlineData(31)]
    [InlineData(200)]
    [InlineData(2000)]
    public void Scan_SelfNestedMultus_DepthTypesAndInnermostPrimaryAtAnyDepth(int levels)
    {
        var scan = MetaScanner.Scan(Encoding.UTF8.GetBytes(Scenarios.SelfNestedMultus(Scenarios.Flannel, levels)));

        Assert.Null(scan.Error);
        Assert.Equal(levels, scan.MetaDepth);
        Assert.Equal(["multus"], scan.MetaTypes);
        Assert.Equal(levels > 1, scan.SelfDelegating);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Scenarios.Flannel), JsonNode.Parse(scan.InnermostPrimary!)));
        // Each level is an object and its delegates array; flannel adds plugins, an element and its delegate.
        Assert.Equal(2 * levels + 4, scan.JsonDepth);
    }

    [Theory]
    [InlineData("{\"type\":\"bridge\",\"ipam\":{\"type\":\"host-local\"}}", 0)]
    [InlineData("{\"type\":\"multus\",\"delegates\":[{\"type\":\"bridge\"}]}", 1)]
    [InlineData("{\"plugins\":[{\"type\":\"plexus\",\"delegates\":[{\"plugins\":[{\"type\":\"multus\",\"delegates\":[{\"type\":\"ptp\"}]}]}]}]}", 2)]
    [InlineData("{\"type\":\"multus\",\"delegates\":[{\"type\":\"bridge\"},{\"type\":\"multus-shim\",\"delegates\":[{\"type\":\"plexus-shim\"}]}]}", 3)]
    [InlineData("{\"type\":\"Multus\"}", 0)]
    [InlineData("{\"type\":7}", 0)]
    [InlineData("{\"x\":{\"type\":\"multus\"},\"y\":[[{\"type\":\"plexus\"}]]}", 1)]
    public void Scan_Config_CountsNestedMetaPlugins(string json, int depth) =>
        Assert.Equal(depth, MetaScanner.Scan(Encoding.UTF8.GetBytes(json)).MetaDepth);

    [Fact]
    public void Scan_PlexusConflistWrappingMultus_NotSelfDelegatingOutermostFirst()
    {
        var json = "{\"cniVersion\":\"1.0.0\",\"name\":\"p\",\"plugins\":[{\"delegates\":[" + Scenarios.SelfNestedMultus(Scenarios.Flannel, 1) + "],\"type\":\"plexus\"}]}";

        var scan = MetaScanner.Scan(Encoding.UTF8.GetBytes(json));

        Assert.Equal(2, scan.MetaDepth);
        Assert.Equal(["plexus", "multus"], scan.MetaTypes);
        Assert.False(scan.SelfDelegating);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Scenarios.Flannel), JsonNode.Parse(scan.InnermostPrimary!)));
    }

    [Fact]
    public void Scan_TypeAfterDelegates_StillSelfDelegating()
    {
        var inner = "{\"delegates\":[{\"type\":\"bridge\",\"name\":\"b\"}],\"name\":\"m\",\"type\":\"multus\"}";
        var json = "{\"delegates\":[" + inner + "],\"name\":\"m\",\"type\":\"multus\"}";

        var scan = MetaScanner.Scan(Encoding.UTF8.GetBytes(json));

        Assert.Equal(2, scan.MetaDepth);
        Assert.True(scan.SelfDelegating);
        Assert.Equal("{\"type\":\"bridge\",\"name\":\"b\"}", Encoding.UTF8.GetString(scan.InnermostPrimary!));
    }

    [Fact]
    public void Scan_PlainPrimary_NoMetaAndItselfAsPrimary()
    {
        var scan = MetaScanner.Scan(Encoding.UTF8.GetBytes(Scenarios.Flannel));

        Assert.Equal(0, scan.MetaDepth);
        Assert.Empty(scan.MetaTypes);
        Assert.Equal(Scenarios.Flannel.TrimEnd(), Encoding.UTF8.GetString(scan.InnermostPrimary!));
    }

    [Fact]
    public void Scan_MetaWithoutObjectDelegate_NoInnermostPrimary()
    {
        var scan = MetaScanner.Scan("{\"type\":\"multus\",\"delegates\":[\"by-name\"]}"u8);

        Assert.Equal(1, scan.MetaDepth);
        Assert.Null(scan.InnermostPrimary);
    }

    [Theory]
    [InlineData("{\"type\":\"multus\",")]
    [InlineData("{\"type\":\"multus\"} {}")]
    [InlineData("{\"type\":\"multus\" /* c */}")]
    public void Scan_NotJson_Error(string json) =>
        Assert.NotNull(MetaScanner.Scan(Encoding.UTF8.GetBytes(json)).Error);

    [Fact]
    public void Scan_InvalidUtf8InType_ReadAsReplacementNotThrown()
    {
        var scan = MetaScanner.Scan([.. "{\"type\":\"mult"u8, 0xff, .. "us\"}"u8]);

        Assert.Null(scan.Error);
        Assert.Equal(0, scan.MetaDepth);
    }

    [Fact]
    public void Scan_DeeperThanGoAccepts_Error()
    {
        var json = new string('[', MetaScanner.MaxJsonDepth + 1) + new string(']', MetaScanner.MaxJsonDepth + 1);

        Assert.NotNull(MetaScanner.Scan(Encoding.UTF8.GetBytes(json)).Error);
    }
}
