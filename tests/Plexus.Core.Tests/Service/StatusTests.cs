using Plexus.Cni;

namespace Plexus.Core.Tests.Service;

/// <summary>STATUS: the readiness indicator file and which networks of the current config are asked, all without the API server.</summary>
public sealed class StatusTests : IDisposable
{
    private const string ClusterConf = """{"cniVersion":"1.1.0","name":"cluster","plugins":[{"type":"macvlan"}]}""";
    private readonly MetaPluginRig rig = new();

    public void Dispose() => rig.Dispose();

    /// <summary>The rig's config with its bridge delegate at 1.1.0, so that STATUS reaches it.</summary>
    private string Config(string extra) =>
        rig.Config(extra).Replace("""{"cniVersion":"1.0.0","name":"cbr0",""", """{"cniVersion":"1.1.0","name":"cbr0",""", StringComparison.Ordinal);

    private Task StatusAsync(string extra) => rig.Plugin().StatusAsync(MetaPluginRig.NodeInvocation("STATUS", Config(extra)), CancellationToken.None);

    private IEnumerable<string> Asked() => rig.Runs("STATUS").Select(c => c.Type);

    [Fact]
    public async Task Status_ReadinessFileMissing_PluginNotAvailableNoDelegateAsked()
    {
        var file = Path.Combine(rig.Dir, "ready");

        var error = await Assert.ThrowsAsync<CniException>(() => StatusAsync($$""","readinessindicatorfile":"{{file}}" """));

        Assert.Equal(CniErrorCode.PluginNotAvailable, error.Code);
        Assert.Contains($"the readiness indicator file {file} does not exist", error.Message);
        Assert.Contains("ADD waits", error.Message);
        Assert.Empty(rig.Executor.Calls);
    }

    [Fact]
    public async Task Status_ReadinessFilePresent_DelegatesAsked()
    {
        var file = Path.Combine(rig.Dir, "ready");
        File.WriteAllText(file, "");

        await StatusAsync($$""","readinessindicatorfile":"{{file}}" """);

        Assert.Equal(["bridge"], Asked());
    }

    [Fact]
    public async Task Status_DelegateNotAvailable_ItsErrorReturned()
    {
        rig.Executor.Fail("bridge", "STATUS", new CniException(CniErrorCode.PluginNotAvailable, "no uplink"));

        var error = await Assert.ThrowsAsync<CniException>(() => StatusAsync(""));

        Assert.Equal(CniErrorCode.PluginNotAvailable, error.Code);
        Assert.Contains("no uplink", error.Message);
    }

    [Fact]
    public async Task Status_DelegatePluginNotInstalled_PluginNotAvailableNamingPluginAndBinDirs()
    {
        rig.Executor.Plugins.Remove("bridge");

        var error = await Assert.ThrowsAsync<CniException>(() => StatusAsync(""));

        Assert.Equal(CniErrorCode.PluginNotAvailable, error.Code);
        Assert.Contains("network \"cbr0\" cannot serve ADD: failed to find plugin \"bridge\" in path [/fake/cni/bin /nonexistent]", error.Message);
        Assert.Empty(rig.Executor.Calls);
    }

    /// <summary>The rig's config with a second static 1.1.0 delegate, a macvlan network "side".</summary>
    private string TwoDelegates() =>
        Config("").Replace("\"type\":\"bridge\"}]", """ "type":"bridge"},{"cniVersion":"1.1.0","name":"side","type":"macvlan"}]""".Trim(), StringComparison.Ordinal);

    [Fact]
    public async Task Status_TwoDelegateNetworks_BothAsked()
    {
        await rig.Plugin().StatusAsync(MetaPluginRig.NodeInvocation("STATUS", TwoDelegates()), CancellationToken.None);

        Assert.Equal(["bridge", "macvlan"], Asked());
    }

    [Fact]
    public async Task Status_SecondDelegateNetworkNotAvailable_ItsCodeAndMessageReturned()
    {
        rig.Executor.Fail("macvlan", "STATUS", new CniException(CniErrorCode.PluginNotAvailable, "side: uplink eth9 is down", "bring eth9 up"));

        var error = await Assert.ThrowsAsync<CniException>(() => rig.Plugin().StatusAsync(MetaPluginRig.NodeInvocation("STATUS", TwoDelegates()), CancellationToken.None));

        Assert.Equal(CniErrorCode.PluginNotAvailable, error.Code);
        Assert.Contains("side: uplink eth9 is down", error.Message);
        Assert.Equal(["bridge", "macvlan"], Asked());
    }

    [Theory]
    [InlineData("file")]
    [InlineData("directory")]
    [InlineData("name")]
    public async Task Status_ClusterNetworkWithoutApi_ClusterAskedDelegatesIgnored(string form)
    {
        var confDir = Path.Combine(rig.Dir, "net.d");
        Directory.CreateDirectory(confDir);
        File.WriteAllText(Path.Combine(confDir, "10-cluster.conflist"), ClusterConf);
        var clusterNetwork = form switch
        {
            "file" => Path.Combine(confDir, "10-cluster.conflist"),
            "directory" => confDir,
            _ => "cluster",
        };

        await StatusAsync($$""","clusterNetwork":"{{clusterNetwork}}" """);

        Assert.Equal(["macvlan"], Asked());
        Assert.Empty(rig.Kube.Requests);
    }

    [Fact]
    public async Task Status_ClusterNetworkOnlyANad_SkippedWithVerboseLogNoApiRequest()
    {
        await StatusAsync(""","clusterNetwork":"pod-net","logLevel":"verbose","logToStderr":true""");

        Assert.Empty(Asked());
        Assert.Empty(rig.Kube.Requests);
        Assert.Contains("STATUS: clusterNetwork \"pod-net\" is not a config in", rig.Log.ToString());
        Assert.Contains("skips it", rig.Log.ToString());
    }

    [Fact]
    public async Task Status_ClusterNetworkFileMissing_InvalidConfig()
    {
        var file = Path.Combine(rig.Dir, "missing.conflist");

        var error = await Assert.ThrowsAsync<CniException>(() => StatusAsync($$""","clusterNetwork":"{{file}}" """));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains(file, error.Message);
        Assert.Empty(Asked());
    }
}
