using Plexus.Cni;

namespace Plexus.Core.Tests.Service;

/// <summary>Multus's auxiliaryCNIChainName: plugin confs from a directory chained onto every pod's cluster network.</summary>
public sealed class AuxiliaryChainTests : IDisposable
{
    private readonly MetaPluginRig rig = new();

    public AuxiliaryChainTests()
    {
        rig.Executor.WithPlugin("tuning").WithPlugin("portmap");
        rig.Annotate("a");
        rig.Kube.AddNad("pods", "a", """{"cniVersion":"1.0.0","type":"macvlan"}""");
    }

    public void Dispose() => rig.Dispose();

    private string ChainDir(string baseDir)
    {
        var dir = Path.Combine(baseDir, "vendor-chain");
        Directory.CreateDirectory(dir);
        return dir;
    }

    [Fact]
    public async Task Add_ChainInConfDir_AppendedToClusterNetworkOnlyWithPrevResultAndUndoneInReverse()
    {
        var dir = ChainDir(Path.Combine(rig.Dir, "net.d"));
        File.WriteAllText(Path.Combine(dir, "20-ports.json"), """{"cniVersion":"1.0.0","name":"ignored","type":"portmap","capabilities":{"portMappings":true}}""");
        File.WriteAllText(Path.Combine(dir, "10-tune.conf"), """{"cniVersion":"1.0.0","type":"tuning","sysctl":{"net.ipv4.conf.eth0.arp_filter":"1"}}""");
        File.WriteAllText(Path.Combine(dir, "30-skipped.conflist"), """{"cniVersion":"1.0.0","name":"x","plugins":[{"type":"bridge"}]}""");
        var config = rig.Config(""","auxiliaryCNIChainName":"vendor-chain","runtimeConfig":{"portMappings":[{"hostPort":80,"containerPort":8080}]}""");

        await rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", config), CancellationToken.None);

        Assert.Equal(["bridge eth0", "tuning eth0", "portmap eth0", "macvlan net1"], rig.Runs("ADD").Select(c => $"{c.Type} {c.Invocation.IfName}"));
        var tuning = rig.Runs("ADD").Single(c => c.Type == "tuning").Config!;
        Assert.Equal("cbr0", (string?)tuning["name"]);
        Assert.Equal("10.0.0.5/24", (string?)tuning["prevResult"]!["ips"]![0]!["address"]);
        Assert.Equal("""{"portMappings":[{"hostPort":80,"containerPort":8080}]}""", rig.Runs("ADD").Single(c => c.Type == "portmap").Config!["runtimeConfig"]!.ToJsonString());

        await rig.Plugin(kubernetes: false).DelAsync(MetaPluginRig.Invocation("DEL", config), CancellationToken.None);

        Assert.Equal(["macvlan", "portmap", "tuning", "bridge"], rig.Runs("DEL").Select(c => c.Type));
    }

    [Fact]
    public async Task Add_ClusterNetworkIsAFile_ChainDirNextToIt()
    {
        var nodeDir = Path.Combine(rig.Dir, "node-net.d");
        Directory.CreateDirectory(nodeDir);
        File.WriteAllText(Path.Combine(nodeDir, "10-cbr.conf"), """{"cniVersion":"1.0.0","name":"cbr0","type":"bridge"}""");
        File.WriteAllText(Path.Combine(ChainDir(nodeDir), "tune.conf"), """{"type":"tuning"}""");
        var config = rig.Config($$""","clusterNetwork":"{{nodeDir}}/10-cbr.conf","auxiliaryCNIChainName":"vendor-chain" """);

        await rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", config), CancellationToken.None);

        Assert.Equal(["bridge", "tuning", "macvlan"], rig.Runs("ADD").Select(c => c.Type));
    }

    [Fact]
    public async Task Add_ChainDirMissing_ClusterNetworkUnchanged()
    {
        await rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", rig.Config(""","auxiliaryCNIChainName":"vendor-chain","logLevel":"verbose" """)), CancellationToken.None);

        Assert.Equal(["bridge", "macvlan"], rig.Runs("ADD").Select(c => c.Type));
    }

    [Theory]
    [InlineData("bad.conf", "{not json", CniErrorCode.DecodeFailure)]
    [InlineData("notype.conf", """{"cniVersion":"1.0.0","name":"x"}""", CniErrorCode.InvalidNetworkConfig)]
    public async Task Add_BrokenChainFile_ErrorNamesFileNothingRun(string name, string content, int code)
    {
        var dir = ChainDir(Path.Combine(rig.Dir, "net.d"));
        File.WriteAllText(Path.Combine(dir, name), content);

        var error = await Assert.ThrowsAsync<CniException>(() =>
            rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", rig.Config(""","auxiliaryCNIChainName":"vendor-chain" """)), CancellationToken.None));

        Assert.Equal(code, error.Code);
        Assert.Contains($"auxiliary CNI chain file {Path.Combine(dir, name)}", error.Message);
        Assert.Empty(rig.Runs("ADD"));
        Assert.False(File.Exists(rig.CacheFile));
    }

    [Theory]
    [InlineData("../etc")]
    [InlineData("a/b")]
    [InlineData(".hidden")]
    public async Task Add_ChainNameNotANetworkName_InvalidConfig(string chain)
    {
        var error = await Assert.ThrowsAsync<CniException>(() =>
            rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", rig.Config($$""","auxiliaryCNIChainName":"{{chain}}" """)), CancellationToken.None));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains("auxiliaryCNIChainName", error.Message);
    }
}
