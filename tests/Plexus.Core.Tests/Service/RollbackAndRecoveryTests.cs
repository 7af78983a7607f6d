using Plexus.Cni;

namespace Plexus.Core.Tests.Service;

/// <summary>What an ADD that fails leaves for DEL, and a DEL without a usable delegate cache.</summary>
public sealed class RollbackAndRecoveryTests : IDisposable
{
    private readonly MetaPluginRig rig = new();

    public RollbackAndRecoveryTests()
    {
        rig.Annotate("a");
        rig.Kube.AddNad("pods", "a", """{"cniVersion":"1.0.0","type":"macvlan"}""");
    }

    public void Dispose() => rig.Dispose();

    private string ResultsDir => Path.Combine(rig.Dir, "results");

    [Fact]
    public async Task Add_DelegateFailsAndItsOwnDelFailsToo_NotKeptForLaterDelEverythingElseUndone()
    {
        rig.Executor.Fail("macvlan", "ADD", new CniException(CniErrorCode.InvalidNetworkConfig, "master is missing"));
        rig.Executor.Fail("macvlan", "DEL", new CniException(CniErrorCode.InvalidNetworkConfig, "master is missing"));

        var error = await Assert.ThrowsAsync<CniException>(() => rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", rig.Config()), CancellationToken.None));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Equal("pod pods/web: network pods/a (net1): master is missing", error.Message);
        Assert.StartsWith("every attachment was removed again.", error.Details);
        Assert.Equal(["bridge ADD", "macvlan ADD", "macvlan DEL", "bridge DEL"], rig.Executor.CallSummary.Where(c => !c.EndsWith("VERSION")));
        Assert.False(File.Exists(rig.CacheFile));

        await rig.Plugin().DelAsync(MetaPluginRig.Invocation("DEL", rig.Config()), CancellationToken.None);

        Assert.Equal(2, rig.Runs("DEL").Count());
    }

    [Fact]
    public async Task Add_ClusterDelFailsDuringRollback_ThatOneKeptForLaterDel()
    {
        rig.Executor.Fail("macvlan", "ADD", new CniException(CniErrorCode.InvalidNetworkConfig, "master is missing"));
        rig.Executor.Fail("bridge", "DEL", CniException.Io("bridge busy"));

        var error = await Assert.ThrowsAsync<CniException>(() => rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", rig.Config()), CancellationToken.None));

        Assert.StartsWith("could not remove cbr0.", error.Details);
        Assert.Contains("\"ifName\":\"eth0\"", File.ReadAllText(rig.CacheFile));
        Assert.DoesNotContain("\"ifName\":\"net1\"", File.ReadAllText(rig.CacheFile));
    }

    [Theory]
    [InlineData("{truncated", "not valid JSON")]
    [InlineData(null, "")]
    public async Task Del_DelegateCacheCorruptOrGone_EveryAttachmentDeletedFromLibcniResultCaches(string? content, string logged)
    {
        var config = rig.Config(""","logLevel":"error","logToStderr":true""");
        await rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", config), CancellationToken.None);
        Assert.Equal(2, Directory.GetFiles(ResultsDir).Length);
        if (content is null)
        {
            File.Delete(rig.CacheFile);
        }
        else
        {
            File.WriteAllText(rig.CacheFile, content);
        }

        await rig.Plugin(kubernetes: false).DelAsync(MetaPluginRig.Invocation("DEL", config), CancellationToken.None);

        Assert.Equal(["bridge eth0", "macvlan net1"], rig.Runs("DEL").Select(c => $"{c.Type} {c.Invocation.IfName}").Order());
        Assert.Equal("10.0.0.5/24", (string?)rig.Runs("DEL").Single(c => c.Type == "bridge").Config!["prevResult"]!["ips"]![0]!["address"]);
        Assert.Empty(Directory.GetFiles(ResultsDir));
        Assert.False(File.Exists(rig.CacheFile));
        Assert.Contains(logged, rig.Log.ToString());
    }

    [Fact]
    public async Task Del_FromLibcniResultCaches_ReverseOfAttachOrderNet10BeforeNet2()
    {
        rig.Annotate(string.Join(',', Enumerable.Repeat("a", 10)));
        var config = rig.Config();
        await rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", config), CancellationToken.None);
        File.Delete(rig.CacheFile);

        await rig.Plugin(kubernetes: false).DelAsync(MetaPluginRig.Invocation("DEL", config), CancellationToken.None);

        Assert.Equal(["net10", "net9", "net8", "net7", "net6", "net5", "net4", "net3", "net2", "net1", "eth0"],
            rig.Runs("DEL").Select(c => c.Invocation.IfName!));
    }
}
