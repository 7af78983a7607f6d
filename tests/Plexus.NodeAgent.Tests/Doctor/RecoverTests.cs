using System.Text.Json.Nodes;
using Plexus.NodeAgent.Doctor;

namespace Plexus.NodeAgent.Tests.Doctor;

/// <summary>
/// --fix recovers a primary only from a damaged (self-nested) foreign meta config: a primary its owner removed on
/// purpose (Cilium while its agent is down) must stay removed.
/// </summary>
public sealed class RecoverTests
{
    private static string Cilium => Scenarios.PrimaryText("cilium");

    [Fact]
    public void Fix_PrimaryRemovedUnderOurConfig_NotRecoveredButNoPrimary()
    {
        using var agent = new AgentHarness();
        Scenarios.CopyTo("cilium", agent.ConfDir);
        agent.Generator.Generate(CancellationToken.None);
        File.Delete(Path.Combine(agent.ConfDir, "05-cilium.conflist"));
        var doctor = Doctor(agent);

        var actions = doctor.Fix(CancellationToken.None);
        var after = doctor.Examine(CancellationToken.None);

        Assert.DoesNotContain(actions, a => a.Message.Contains("recovered"));
        Assert.Empty(Directory.GetFiles(agent.ConfDir, "90-recovered-*"));
        Assert.Contains(actions, a => !a.Done && a.Message.Contains("Put the cluster network's config into"));
        Assert.Contains(after.Findings, f => f.Code == ConfDirChecks.NoPrimary);
        Assert.False(after.Healthy);
    }

    [Fact]
    public void Fix_PrimaryRemovedUnderAHealthyMultusConfig_NotRecovered()
    {
        using var agent = new AgentHarness();
        agent.Write("00-multus.conf", Scenarios.NestedMultus(Cilium, 1));

        var actions = Doctor(agent).Fix(CancellationToken.None);

        Assert.Empty(Directory.GetFiles(agent.ConfDir, "90-recovered-*"));
        Assert.Contains(actions, a => !a.Done && a.Message.Contains("Put the cluster network's config into"));
    }

    [Fact]
    public void Fix_PrimaryOnlyInsideASelfNestedMultusConfig_Recovered()
    {
        using var agent = new AgentHarness();
        agent.Write("00-multus.conf", Scenarios.NestedMultus(Cilium, 2));

        var actions = Doctor(agent).Fix(CancellationToken.None);

        Assert.Contains(actions, a => a.Done && a.Message.Contains("recovered the real primary from inside 00-multus.conf"));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Cilium), JsonNode.Parse(File.ReadAllBytes(Path.Combine(agent.ConfDir, "90-recovered-cilium.conflist")))));
    }

    private static DoctorRunner Doctor(AgentHarness agent) => new(agent.Generator, agent.Backup, new FakeProbe(), []);
}
