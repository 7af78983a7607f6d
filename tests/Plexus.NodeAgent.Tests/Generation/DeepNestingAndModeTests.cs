using System.Text.Json.Nodes;
using Plexus.NodeAgent.Generation;

namespace Plexus.NodeAgent.Tests.Generation;

public sealed class DeepNestingAndModeTests
{
    [Theory]
    [InlineData(30)]
    [InlineData(31)]
    [InlineData(200)]
    [InlineData(2000)]
    public void Generate_SelfNestedMultusAnyDepth_MovedToBackupAndFlannelWrapped(int levels)
    {
        using var agent = new AgentHarness();
        Scenarios.CopyTo("flannel", agent.ConfDir);
        var nested = Scenarios.SelfNestedMultus(Scenarios.Flannel, levels);
        agent.Write("00-multus.conf", nested);

        var outcome = agent.Generator.Generate(CancellationToken.None);

        Assert.Equal(GenerateStatus.Written, outcome.Status);
        Assert.Equal("10-flannel.conflist", outcome.PrimaryFile);
        Assert.False(File.Exists(Path.Combine(agent.ConfDir, "00-multus.conf")));
        Assert.Equal(nested, File.ReadAllText(Path.Combine(agent.BackupDir, Assert.Single(agent.Backup.List()), "00-multus.conf")));
        Assert.Contains($"nesting depth {levels}", agent.LogText.ToString());
        Assert.DoesNotContain("not valid JSON", agent.LogText.ToString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Scenarios.Flannel), JsonNode.Parse(File.ReadAllBytes(agent.OutputPath))!["plugins"]![0]!["delegates"]![0]));
    }

    [Fact]
    public void Generate_DeepConfigWithoutMetaPlugin_SkippedAsTooDeepNotMoved()
    {
        using var agent = new AgentHarness();
        Scenarios.CopyTo("flannel", agent.ConfDir);
        var deep = "{\"cniVersion\":\"0.3.1\",\"name\":\"deep\",\"type\":\"bridge\",\"x\":" + new string('[', 100) + new string(']', 100) + "}";
        agent.Write("00-deep.conf", deep);

        var outcome = agent.Generator.Generate(CancellationToken.None);

        Assert.Equal("10-flannel.conflist", outcome.PrimaryFile);
        Assert.Equal(deep, File.ReadAllText(Path.Combine(agent.ConfDir, "00-deep.conf")));
        Assert.Contains("nested 101 levels deep", agent.LogText.ToString());
    }

    [Fact]
    public void Generate_UpToDateConfigWithWrongMode_ModeSetNoRewriteAndLogged()
    {
        using var agent = new AgentHarness();
        Scenarios.CopyTo("flannel", agent.ConfDir);
        agent.Generator.Generate(CancellationToken.None);
        var bytes = File.ReadAllBytes(agent.OutputPath);
        var written = File.GetLastWriteTimeUtc(agent.OutputPath);
        File.SetUnixFileMode(agent.OutputPath, (UnixFileMode)0b110_100_100);

        var outcome = agent.Generator.Generate(CancellationToken.None);

        Assert.Equal(GenerateStatus.Unchanged, outcome.Status);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(agent.OutputPath));
        Assert.Equal(bytes, File.ReadAllBytes(agent.OutputPath));
        Assert.Equal(written, File.GetLastWriteTimeUtc(agent.OutputPath));
        Assert.Contains("set its mode to 0600 (was 0644)", outcome.Message);
        Assert.Contains("set its mode to 0600 (was 0644)", agent.LogText.ToString());
    }

    [Fact]
    public void Generate_UpToDateConfigWithRightMode_SaysNothingAboutMode()
    {
        using var agent = new AgentHarness();
        Scenarios.CopyTo("flannel", agent.ConfDir);
        agent.Generator.Generate(CancellationToken.None);

        var outcome = agent.Generator.Generate(CancellationToken.None);

        Assert.Equal(GenerateStatus.Unchanged, outcome.Status);
        Assert.DoesNotContain("mode", outcome.Message);
    }
}
