using System.Text.Json.Nodes;
using Plexus.NodeAgent.Backup;
using Plexus.NodeAgent.Doctor;
using Plexus.NodeAgent.Generation;

namespace Plexus.NodeAgent.Tests.Doctor;

/// <summary>"growing" catches configs that wrap themselves, not Plexus's config legitimately following a changed primary.</summary>
public sealed class GrowingTests
{
    private static string Calico => Scenarios.PrimaryText("rke2-calico");

    [Fact]
    public void Examine_PrimaryReplacedByALargerOne_OwnConfigNotGrowing()
    {
        using var agent = new AgentHarness();
        Scenarios.CopyTo("flannel", agent.ConfDir);
        Run(agent);
        var before = new FileInfo(agent.OutputPath).Length;
        File.Delete(Path.Combine(agent.ConfDir, "10-flannel.conflist"));
        agent.Write("10-calico.conflist", Calico);
        Run(agent);

        var report = Doctor(agent).Examine(CancellationToken.None);

        Assert.True(new FileInfo(agent.OutputPath).Length > before, "the test needs the new config to be larger");
        Assert.DoesNotContain(report.Findings, f => f.Code == "growing");
        Assert.True(report.Healthy, report.ToTable());
    }

    [Fact]
    public void Examine_OwnConfigRepairedFromATruncatedFile_NotGrowing()
    {
        using var agent = new AgentHarness();
        Scenarios.CopyTo("flannel", agent.ConfDir);
        Run(agent);
        var full = File.ReadAllBytes(agent.OutputPath);
        File.WriteAllBytes(agent.OutputPath, full[..(full.Length / 2)]);
        Run(agent);

        var report = Doctor(agent).Examine(CancellationToken.None);

        Assert.Equal(full, File.ReadAllBytes(agent.OutputPath));
        Assert.DoesNotContain(report.Findings, f => f.Code == "growing");
    }

    [Fact]
    public void Examine_OwnConfigWrappedInItself_GrowingAndNested()
    {
        using var agent = new AgentHarness();
        Scenarios.CopyTo("flannel", agent.ConfDir);
        Run(agent);
        var own = File.ReadAllText(agent.OutputPath);
        SaveInANewBackup(agent, "00-plexus.conflist");
        File.WriteAllText(agent.OutputPath, "{\"cniVersion\":\"0.3.1\",\"name\":\"plexus-cni-network\",\"plugins\":[{\"type\":\"plexus\",\"delegates\":[" + own + "]}]}");

        var report = Doctor(agent).Examine(CancellationToken.None);

        Assert.Contains(report.Findings, f => f.Code == "growing" && f.File == "00-plexus.conflist");
        Assert.Contains(report.Findings, f => f.Code == "nesting-depth" && f.File == "00-plexus.conflist");
    }

    [Fact]
    public void Examine_OwnConfigEnlargedByHand_Growing()
    {
        using var agent = new AgentHarness();
        Scenarios.CopyTo("flannel", agent.ConfDir);
        Run(agent);
        var edited = JsonNode.Parse(File.ReadAllBytes(agent.OutputPath))!;
        edited["plugins"]![0]!["padding"] = new string('x', 4000);
        SaveInANewBackup(agent, "00-plexus.conflist");
        File.WriteAllText(agent.OutputPath, edited.ToJsonString());

        var report = Doctor(agent).Examine(CancellationToken.None);

        Assert.Contains(report.Findings, f => f.Code == "growing" && f.File == "00-plexus.conflist");
    }

    [Fact]
    public void Examine_ForeignMetaConfigGrewAcrossRuns_StillGrowing()
    {
        using var agent = new AgentHarness();
        Scenarios.CopyTo("flannel", agent.ConfDir);
        agent.Write("70-multus.conf", Scenarios.NestedMultus(Scenarios.Flannel, 1));
        Run(agent);
        SaveInANewBackup(agent, "70-multus.conf");
        agent.Write("70-multus.conf", Scenarios.NestedMultus(Scenarios.Flannel, 1).Replace("multus-cni-network", "multus-cni-network-renamed"));

        var report = Doctor(agent).Examine(CancellationToken.None);

        Assert.Contains(report.Findings, f => f.Code == "growing" && f.File == "70-multus.conf");
    }

    /// <summary>One agent run: a generation pass with a new backup store, as after a restart.</summary>
    private static void Run(AgentHarness agent) =>
        new ConfigGenerator(agent.Generator.Options, new BackupStore(agent.BackupDir, TimeProvider.System), agent.Log).Generate(CancellationToken.None);

    /// <summary>A backup holding the file as it is now (what a run that changed it would have made).</summary>
    private static void SaveInANewBackup(AgentHarness agent, string name) =>
        new BackupStore(agent.BackupDir, TimeProvider.System).BeforeChange(agent.ConfDir, [name], [], CancellationToken.None);

    private static DoctorRunner Doctor(AgentHarness agent) => new(agent.Generator, agent.Backup, new FakeProbe(), []);
}
