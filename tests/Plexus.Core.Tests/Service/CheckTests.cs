using Plexus.Cni;

namespace Plexus.Core.Tests.Service;

/// <summary>CHECK: every cached attachment is checked in order, those whose network predates CHECK (before 0.4.0) skipped.</summary>
public sealed class CheckTests : IDisposable
{
    private readonly MetaPluginRig rig = new();

    public CheckTests()
    {
        rig.Kube.AddNad("pods", "a", """{"cniVersion":"1.0.0","type":"macvlan"}""");
        rig.Kube.AddNad("pods", "b", """{"cniVersion":"1.0.0","type":"macvlan"}""");
    }

    public void Dispose() => rig.Dispose();

    private async Task AddAsync(string networks)
    {
        rig.Annotate(networks);
        await rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", rig.Config()), CancellationToken.None);
    }

    private Task CheckAsync() => rig.Plugin().CheckAsync(MetaPluginRig.Invocation("CHECK", rig.Config()), CancellationToken.None);

    private IEnumerable<string?> Checked() => rig.Runs("CHECK").Select(c => c.Invocation.IfName);

    [Fact]
    public async Task Check_ThreeAttachments_EachCheckedInOrderWithItsOwnResult()
    {
        await AddAsync("a,b");

        await CheckAsync();

        Assert.Equal(["eth0", "net1", "net2"], Checked());
        var clusterCheck = rig.Runs("CHECK").First();
        Assert.Equal("10.0.0.5/24", (string?)clusterCheck.Config!["prevResult"]!["ips"]![0]!["address"]);
        Assert.All(rig.Runs("CHECK").Skip(1), c => Assert.Equal("""{"cniVersion":"1.0.0"}""", c.Config!["prevResult"]!.ToJsonString()));
    }

    [Fact]
    public async Task Check_ExtraAttachmentFails_ItsCodeAndNetworkReportedEarlierOnesChecked()
    {
        await AddAsync("a,b");
        rig.Executor.Answer("macvlan", "CHECK", call => call.Invocation.IfName == "net2"
            ? throw new CniException(CniErrorCode.TryAgainLater, "net2 has no carrier", "wait")
            : "");

        var error = await Assert.ThrowsAsync<CniException>(CheckAsync);

        Assert.Equal(CniErrorCode.TryAgainLater, error.Code);
        Assert.Equal("container c1: CHECK of network pods/b (net2): net2 has no carrier", error.Message);
        Assert.Equal(["eth0", "net1", "net2"], Checked());
    }

    [Fact]
    public async Task Check_NetworkBefore040_SkippedOthersChecked()
    {
        rig.Kube.AddNad("pods", "a", """{"cniVersion":"0.3.1","type":"macvlan"}""");
        await AddAsync("a,b");

        await CheckAsync();

        Assert.Equal(["eth0", "net2"], Checked());
    }
}
