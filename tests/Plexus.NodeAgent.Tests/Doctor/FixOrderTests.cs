using Plexus.NodeAgent.Doctor;

namespace Plexus.NodeAgent.Tests.Doctor;

/// <summary><c>doctor --fix</c> moves a meta config only once Plexus's config is in place to take over from it.</summary>
public sealed class FixOrderTests
{
    private const string Bridge = "{\"cniVersion\":\"1.0.0\",\"name\":\"node-net\",\"plugins\":[{\"type\":\"bridge\",\"bridge\":\"cni0\"}]}";

    [Theory]
    [InlineData("00-multus.conf")] // loads before Plexus's config: the generator moves it
    [InlineData("99-multus.conf")] // loads after it: the doctor moves it
    public void Fix_MetaConfig_PlexusConfigWrittenBeforeItIsMoved(string meta)
    {
        using var agent = new AgentHarness();
        agent.Write("10-bridge.conflist", Bridge);
        agent.Write(meta, Scenarios.NestedMultus(Bridge, 2));
        using var changes = new DirChanges(agent.ConfDir);

        var actions = new DoctorRunner(agent.Generator, agent.Backup, new FakeProbe(), []).Fix(CancellationToken.None);

        Assert.All(actions, a => Assert.True(a.Done, a.Message));
        Assert.Contains(actions, a => a.Message.StartsWith($"moved {meta}", StringComparison.Ordinal));
        changes.AssertOrder("wrote 00-plexus.conflist", "removed " + meta);
    }

    [Fact]
    public void Fix_PrimaryTheGeneratorRefuses_MetaConfigStaysAndIsReportedNotFixed()
    {
        using var agent = new AgentHarness();
        agent.Write("10-bridge.conflist", Bridge.Replace("1.0.0", "99.0.0"));
        var nested = Scenarios.NestedMultus(Bridge, 2);
        agent.Write("00-multus.conf", nested);

        var actions = new DoctorRunner(agent.Generator, agent.Backup, new FakeProbe(), []).Fix(CancellationToken.None);

        Assert.Contains(actions, a => !a.Done && a.Message.StartsWith("left 00-multus.conf (meta-plugin config, nesting depth 2) in place", StringComparison.Ordinal));
        Assert.DoesNotContain(actions, a => a.Done);
        Assert.Equal(nested, File.ReadAllText(Path.Combine(agent.ConfDir, "00-multus.conf")));
        Assert.False(File.Exists(agent.OutputPath));
    }
}
