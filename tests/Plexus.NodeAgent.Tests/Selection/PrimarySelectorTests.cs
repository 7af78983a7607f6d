using System.Text;
using Plexus.Cni.ConfFiles;
using Plexus.NodeAgent.Selection;

namespace Plexus.NodeAgent.Tests.Selection;

public sealed class PrimarySelectorTests
{
    private const string Own = "00-plexus.conflist";
    private const string Calico = "{\"name\":\"k8s-pod-network\",\"cniVersion\":\"0.3.1\",\"plugins\":[{\"type\":\"calico\"},{\"type\":\"portmap\",\"capabilities\":{\"portMappings\":true}}]}";

    [Theory]
    [MemberData(nameof(Scenarios.Names), MemberType = typeof(Scenarios))]
    public void Select_ScenarioDir_PicksTheRealPrimary(string scenario)
    {
        var files = ConfDirStore.List(Path.Combine(Scenarios.Root, scenario), CancellationToken.None);

        var selection = PrimarySelector.Select(files, Own);

        Assert.Equal(Scenarios.Primaries[scenario], selection.Primary?.Name);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void Select_NestedMultusLoadsFirst_SkipsItByContent(int levels)
    {
        var selection = PrimarySelector.Select(
            [File("00-multus.conf", Scenarios.NestedMultus(Calico, levels)), File("70-multus.conf", Scenarios.NestedMultus(Calico, 1)), File("10-calico.conflist", Calico)],
            Own);

        Assert.Equal("10-calico.conflist", selection.Primary?.Name);
        var skipped = selection.Skipped.ToDictionary(v => v.Name);
        Assert.Equal(levels, skipped["00-multus.conf"].MetaDepth);
        Assert.Contains("meta-plugin config", skipped["00-multus.conf"].Problem);
        Assert.Contains("nesting depth " + levels, skipped["00-multus.conf"].Problem);
        Assert.Equal(["00-multus.conf"], selection.ShadowingMetaConfigs(Own).Select(v => v.Name));
    }

    [Theory]
    [InlineData("{\"cniVersion\":\"0.3.1\",\"name\":\"x\",\"type\":\"plexus\",\"delegates\":[]}")]
    [InlineData("{\"cniVersion\":\"0.3.1\",\"name\":\"x\",\"type\":\"multus-shim\"}")]
    [InlineData("{\"cniVersion\":\"0.3.1\",\"name\":\"x\",\"type\":\"bridge\",\"delegates\":[{\"type\":\"plexus-shim\"}]}")]
    [InlineData("{\"cniVersion\":\"0.3.1\",\"name\":\"x\",\"type\":\"bridge\",\"delegates\":[{\"plugins\":[{\"type\":\"ptp\",\"delegates\":[{\"type\":\"multus\"}]}]}]}")]
    public void Select_MetaPluginAnywhereInAConf_IsNeverThePrimary(string meta)
    {
        var selection = PrimarySelector.Select([File("05-meta.conf", meta), File("10-calico.conflist", Calico)], Own);

        Assert.Equal("10-calico.conflist", selection.Primary?.Name);
        Assert.True(selection.Files[0].IsMeta);
    }

    [Fact]
    public void Select_ConflistWithAMetaPlugin_IsSkipped()
    {
        var selection = PrimarySelector.Select(
            [File("01-chain.conflist", "{\"name\":\"c\",\"cniVersion\":\"1.0.0\",\"plugins\":[{\"type\":\"bridge\"},{\"type\":\"multus\"}]}"), File("10-calico.conflist", Calico)],
            Own);

        Assert.Equal("10-calico.conflist", selection.Primary?.Name);
    }

    [Fact]
    public void Select_BadFilesBeforeThePrimary_SkipsEachWithItsReason()
    {
        var selection = PrimarySelector.Select(
        [
            File(Own, Calico),
            File("01-empty.conf", ""),
            File("02-invalid.conflist", "{\"name\":"),
            File("03-notype.conf", "{\"name\":\"n\",\"cniVersion\":\"1.0.0\"}"),
            File("04-noplugins.conflist", "{\"name\":\"n\",\"cniVersion\":\"1.0.0\"}"),
            new ConfFile { Name = "05-fifo.conf", Path = "/x/05-fifo.conf", Unreadable = "not a regular file (FIFO)" },
            File("10-calico.conflist", Calico),
        ], Own);

        Assert.Equal("10-calico.conflist", selection.Primary?.Name);
        var reasons = selection.Skipped.ToDictionary(v => v.Name, v => v.Problem);
        Assert.Equal("Plexus's own generated config", reasons[Own]);
        Assert.Equal("empty file", reasons["01-empty.conf"]);
        Assert.Contains("not valid JSON", reasons["02-invalid.conflist"]);
        Assert.Contains("missing \"type\"", reasons["03-notype.conf"]);
        Assert.Contains("\"plugins\" must be a non-empty list", reasons["04-noplugins.conflist"]);
        Assert.Equal("not a regular file (FIFO)", reasons["05-fifo.conf"]);
    }

    [Fact]
    public void Select_OnlyMetaAndBrokenFiles_HasNoPrimaryAndSaysWhy()
    {
        var selection = PrimarySelector.Select([File("00-multus.conf", Scenarios.NestedMultus(Calico, 3)), File("10-x.conf", "")], Own);

        Assert.Null(selection.Primary);
        Assert.Contains("00-multus.conf: meta-plugin config", selection.NoPrimaryReason);
        Assert.Contains("10-x.conf: empty file", selection.NoPrimaryReason);
    }

    [Fact]
    public void Select_ExplicitPrimary_TakesOnlyThatFile()
    {
        var selection = PrimarySelector.Select([File("10-calico.conflist", Calico), File("20-other.conflist", Calico)], Own, "20-other.conflist");

        Assert.Equal("20-other.conflist", selection.Primary?.Name);
        Assert.Contains("not the configured primary", selection.Files[0].Problem);
    }

    [Fact]
    public void Select_ExplicitPrimaryIsMeta_HasNoPrimary()
    {
        var selection = PrimarySelector.Select([File("10-calico.conflist", Calico), File("00-multus.conf", Scenarios.NestedMultus(Calico, 1))], Own, "00-multus.conf");

        Assert.Null(selection.Primary);
    }

    [Fact]
    public void Select_SeparateAutoconfigDir_PrimaryOnlyFromItConfDirFilesOnlyForShadowing()
    {
        var selection = PrimarySelector.Select(
            [ConfFile.FromBytes("10-calico.conflist", Encoding.UTF8.GetBytes(Calico), "/auto")],
            Own,
            confDirFiles:
            [
                ConfFile.FromBytes("05-stale.conflist", Encoding.UTF8.GetBytes(Calico), "/net.d"),
                ConfFile.FromBytes("00-multus.conf", Encoding.UTF8.GetBytes(Scenarios.NestedMultus(Calico, 1)), "/net.d"),
                ConfFile.FromBytes("10-calico.conflist", Encoding.UTF8.GetBytes(Scenarios.NestedMultus(Calico, 1)), "/net.d"),
            ]);

        Assert.Equal("/auto/10-calico.conflist", selection.Primary?.Path);
        Assert.False(selection.Primary!.InConfDir);
        Assert.Contains("not the autoconfig dir", selection.Files.Single(f => f.Name == "05-stale.conflist").Problem);
        Assert.Equal(["/net.d/00-multus.conf"], selection.ShadowingMetaConfigs(Own).Select(v => v.Path));
        Assert.Equal(2, selection.Files.Count(f => f.Name == "10-calico.conflist"));
    }

    private static ConfFile File(string name, string text) => ConfFile.FromBytes(name, Encoding.UTF8.GetBytes(text), "/etc/cni/net.d");
}
