using System.Text.Json.Nodes;
using Plexus.Cni;

namespace Plexus.Core.Tests.Service;

/// <summary>Multus's retryDeleteOnError: what a DEL whose delegates fail leaves for the runtime's next DEL.</summary>
public sealed class RetryDeleteOnErrorTests : IDisposable
{
    private readonly MetaPluginRig rig = new();

    public RetryDeleteOnErrorTests()
    {
        rig.Annotate("a");
        rig.Kube.AddNad("pods", "a", """{"cniVersion":"1.0.0","type":"macvlan"}""");
    }

    public void Dispose() => rig.Dispose();

    [Fact]
    public async Task Del_DefaultFalseAndDelegateFails_ErrorOnceThenNextDelRunsNothing()
    {
        var config = rig.Config();
        await rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", config), CancellationToken.None);
        rig.Executor.Fail("macvlan", "DEL", CniException.Io("macvlan broke"));

        var error = await Assert.ThrowsAsync<CniException>(() => rig.Plugin().DelAsync(MetaPluginRig.Invocation("DEL", config), CancellationToken.None));

        Assert.Equal(CniErrorCode.IoFailure, error.Code);
        Assert.Contains("network pods/a (net1): macvlan broke", error.Message);
        Assert.Contains("retryDeleteOnError is false", error.Details);
        Assert.Equal(["macvlan DEL", "bridge DEL"], rig.Runs("DEL").Select(c => $"{c.Type} DEL"));
        Assert.Empty(JsonNode.Parse(File.ReadAllText(rig.CacheFile))!["attachments"]!.AsArray());

        await rig.Plugin(kubernetes: false).DelAsync(MetaPluginRig.Invocation("DEL", config), CancellationToken.None);

        Assert.Equal(2, rig.Runs("DEL").Count());
        Assert.False(File.Exists(rig.CacheFile));
    }

    [Fact]
    public async Task Del_DefaultFalseAndLibcniResultCacheLeft_NextDelDoesNotFallBackToIt()
    {
        var config = rig.Config();
        await rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", config), CancellationToken.None);
        rig.Executor.Fail("macvlan", "DEL", CniException.Io("macvlan broke"));
        await Assert.ThrowsAsync<CniException>(() => rig.Plugin().DelAsync(MetaPluginRig.Invocation("DEL", config), CancellationToken.None));
        Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(rig.Dir, "results")));

        await rig.Plugin().DelAsync(MetaPluginRig.Invocation("DEL", config), CancellationToken.None);

        Assert.Equal(2, rig.Runs("DEL").Count());
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(rig.Dir, "results")));
        Assert.False(File.Exists(rig.CacheFile));
    }

    [Fact]
    public async Task Del_TrueAndDelegateFails_OnlyFailedKeptAndRetried()
    {
        var config = rig.Config(""","retryDeleteOnError":true""");
        await rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", config), CancellationToken.None);
        rig.Executor.Fail("macvlan", "DEL", CniException.Io("macvlan broke"));

        var error = await Assert.ThrowsAsync<CniException>(() => rig.Plugin().DelAsync(MetaPluginRig.Invocation("DEL", config), CancellationToken.None));

        Assert.Contains("retryDeleteOnError is true", error.Details);
        var kept = JsonNode.Parse(File.ReadAllText(rig.CacheFile))!["attachments"]!.AsArray();
        Assert.Equal(["net1"], kept.Select(a => (string)a!["ifName"]!));

        rig.Executor.Answer("macvlan", "DEL", "");
        await rig.Plugin(kubernetes: false).DelAsync(MetaPluginRig.Invocation("DEL", config), CancellationToken.None);

        Assert.Equal(["macvlan", "bridge", "macvlan"], rig.Runs("DEL").Select(c => c.Type));
        Assert.False(File.Exists(rig.CacheFile));
    }

    /// <summary>The runtime acts on the code (11: retry later), so the failing delegate's own code comes back, not a generic one.</summary>
    [Theory]
    [InlineData(CniErrorCode.TryAgainLater, false)]
    [InlineData(CniErrorCode.InvalidNetworkConfig, false)]
    [InlineData(CniErrorCode.TryAgainLater, true)]
    public async Task Del_DelegateFailsWithCode_ThatCodePassedOn(int code, bool retry)
    {
        var config = rig.Config($$""","retryDeleteOnError":{{(retry ? "true" : "false")}}""");
        await rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", config), CancellationToken.None);
        rig.Executor.Fail("macvlan", "DEL", new CniException(code, "macvlan refused"));

        var error = await Assert.ThrowsAsync<CniException>(() => rig.Plugin().DelAsync(MetaPluginRig.Invocation("DEL", config), CancellationToken.None));

        Assert.Equal(code, error.Code);
        Assert.Equal("container c1: DEL failed for network pods/a (net1): macvlan refused", error.Message);
        Assert.Equal(["macvlan", "bridge"], rig.Runs("DEL").Select(c => c.Type));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Del_AllSucceed_CacheRemovedEitherWay(bool retry)
    {
        var config = rig.Config($$""","retryDeleteOnError":{{(retry ? "true" : "false")}}""");
        await rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", config), CancellationToken.None);

        await rig.Plugin().DelAsync(MetaPluginRig.Invocation("DEL", config), CancellationToken.None);

        Assert.False(File.Exists(rig.CacheFile));
        Assert.Equal(["macvlan", "bridge"], rig.Runs("DEL").Select(c => c.Type));
    }
}
