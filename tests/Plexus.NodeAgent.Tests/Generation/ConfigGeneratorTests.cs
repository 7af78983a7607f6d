using System.Text.Json.Nodes;
using Plexus.Cni.ConfFiles;
using Plexus.NodeAgent.Generation;
using Plexus.NodeAgent.Rendering;
using Plexus.NodeAgent.Selection;

namespace Plexus.NodeAgent.Tests.Generation;

public sealed class ConfigGeneratorTests
{
    private const string Calico = "{\"name\":\"k8s-pod-network\",\"cniVersion\":\"0.3.1\",\"plugins\":[{\"type\":\"calico\"},{\"type\":\"portmap\",\"capabilities\":{\"portMappings\":true}}]}";

    [Theory]
    [MemberData(nameof(Scenarios.Names), MemberType = typeof(Scenarios))]
    public void Generate_ScenarioRestartedTwentyTimes_SameBytesNoRewriteRealPrimary(string scenario)
    {
        using var agent = new AgentHarness();
        Scenarios.CopyTo(scenario, agent.ConfDir);

        var first = agent.Generator.Generate(CancellationToken.None);
        var bytes = File.ReadAllBytes(agent.OutputPath);
        var written = File.GetLastWriteTimeUtc(agent.OutputPath);
        var created = new FileInfo(agent.OutputPath).CreationTimeUtc;
        for (var restart = 0; restart < 20; restart++)
        {
            var again = new ConfigGenerator(agent.Generator.Options, agent.Backup, agent.Log).Generate(CancellationToken.None);
            Assert.Equal(GenerateStatus.Unchanged, again.Status);
        }

        Assert.Equal(GenerateStatus.Written, first.Status);
        Assert.Equal(bytes, File.ReadAllBytes(agent.OutputPath));
        Assert.Equal(written, File.GetLastWriteTimeUtc(agent.OutputPath));
        Assert.Equal(created, new FileInfo(agent.OutputPath).CreationTimeUtc);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(agent.OutputPath));
        var cluster = JsonNode.Parse(bytes)!["plugins"]![0]!["delegates"]![0]!;
        var primary = JsonNode.Parse(File.ReadAllBytes(Path.Combine(agent.ConfDir, Scenarios.Primaries[scenario])));
        Assert.True(JsonNode.DeepEquals(primary, cluster));
        Assert.Equal(0, Scenarios.Scan(cluster).MetaDepth);
        // The runtime loads our file first, and it is a valid conflist.
        Assert.Equal(ConfigSettings.DefaultFileName, ConfDirStore.List(agent.ConfDir, CancellationToken.None)[0].Name);
    }

    [Fact]
    public void Generate_DirPollutedByNestedMultus_PicksRealPrimaryAndMovesTheShadowToBackup()
    {
        using var agent = new AgentHarness();
        var nested = Scenarios.NestedMultus(Calico, 4);
        agent.Write("00-multus.conf", nested);
        agent.Write("10-calico.conflist", Calico);

        var outcome = agent.Generator.Generate(CancellationToken.None);

        Assert.Equal(GenerateStatus.Written, outcome.Status);
        Assert.Equal("10-calico.conflist", outcome.PrimaryFile);
        Assert.False(File.Exists(Path.Combine(agent.ConfDir, "00-multus.conf")));
        var backup = Assert.Single(agent.Backup.List());
        Assert.Equal(nested, File.ReadAllText(Path.Combine(agent.BackupDir, backup, "00-multus.conf")));
        Assert.Contains("moved", agent.LogText.ToString());
        Assert.Contains("00-multus.conf", agent.LogText.ToString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Calico), JsonNode.Parse(File.ReadAllBytes(agent.OutputPath))!["plugins"]![0]!["delegates"]![0]));
    }

    [Fact]
    public void Generate_ShadowingMetaConfig_OurConfigIsInPlaceBeforeItIsMoved()
    {
        using var agent = new AgentHarness();
        agent.Write("00-multus.conf", Scenarios.NestedMultus(Calico, 2));
        agent.Write("10-calico.conflist", Calico);
        using var changes = new DirChanges(agent.ConfDir);

        agent.Generator.Generate(CancellationToken.None);

        // A crash between the two steps must not leave the primary in use without Plexus.
        changes.AssertOrder("wrote 00-plexus.conflist", "removed 00-multus.conf");
    }

    [Fact]
    public void Generate_MetaConfigLoadingAfterOurs_IsLeftInPlace()
    {
        using var agent = new AgentHarness();
        agent.Write("70-multus.conf", Scenarios.NestedMultus(Calico, 1));
        agent.Write("10-calico.conflist", Calico);

        agent.Generator.Generate(CancellationToken.None);

        Assert.True(File.Exists(Path.Combine(agent.ConfDir, "70-multus.conf")));
        Assert.Contains("warn: skipped " + Path.Combine(agent.ConfDir, "70-multus.conf") + ": meta-plugin config", agent.LogText.ToString());
    }

    [Fact]
    public void Generate_PrimarySortsBeforeOurs_WarnsThatTheRuntimeBypassesPlexus()
    {
        using var agent = new AgentHarness();
        agent.Write("00-calico.conflist", Calico);

        var outcome = agent.Generator.Generate(CancellationToken.None);

        Assert.Equal(GenerateStatus.Written, outcome.Status);
        Assert.Contains("00-calico.conflist loads before 00-plexus.conflist", agent.LogText.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"name\":")]
    [InlineData("{\"cniVersion\":\"0.3.1\",\"name\":\"m\",\"type\":\"multus\",\"delegates\":[]}")]
    public void Generate_NoUsablePrimary_WritesNothingAndSaysWhy(string content)
    {
        using var agent = new AgentHarness();
        agent.Write("10-only.conf", content);

        var outcome = agent.Generator.Generate(CancellationToken.None);

        Assert.Equal(GenerateStatus.NoPrimary, outcome.Status);
        Assert.Contains("10-only.conf", outcome.Message);
        Assert.False(File.Exists(agent.OutputPath));
        Assert.Equal(["10-only.conf"], Directory.GetFileSystemEntries(agent.ConfDir).Select(Path.GetFileName));
    }

    [Fact]
    public void Generate_PrimaryRemovedAfterwards_RemovesOurConfig()
    {
        using var agent = new AgentHarness();
        var primary = agent.Write("10-calico.conflist", Calico);
        agent.Generator.Generate(CancellationToken.None);

        File.Delete(primary);
        var outcome = agent.Generator.Generate(CancellationToken.None);

        Assert.Equal(GenerateStatus.NoPrimary, outcome.Status);
        Assert.False(File.Exists(agent.OutputPath));
    }

    [Fact]
    public void Generate_PrimaryChanged_RewritesWithNewContent()
    {
        using var agent = new AgentHarness();
        agent.Write("10-calico.conflist", Calico);
        agent.Generator.Generate(CancellationToken.None);

        agent.Write("10-calico.conflist", Calico.Replace("0.3.1", "1.0.0"));
        var outcome = agent.Generator.Generate(CancellationToken.None);

        Assert.Equal(GenerateStatus.Written, outcome.Status);
        Assert.Equal("1.0.0", JsonNode.Parse(File.ReadAllBytes(agent.OutputPath))!["cniVersion"]!.GetValue<string>());
    }

    [Fact]
    public void Generate_ReadinessIndicatorMissing_WritesNothing()
    {
        using var agent = new AgentHarness(new ConfigSettings { ReadinessIndicatorFile = "/nonexistent/plexus-ready" });
        agent.Write("10-calico.conflist", Calico);

        var outcome = agent.Generator.Generate(CancellationToken.None);

        Assert.Equal(GenerateStatus.NoPrimary, outcome.Status);
        Assert.Contains("readiness indicator file /nonexistent/plexus-ready", outcome.Message);
        Assert.False(File.Exists(agent.OutputPath));
    }

    [Fact]
    public void Generate_ReadinessIndicatorMissingAndAMetaConfigLoadsFirst_TheMetaConfigIsNamed()
    {
        using var agent = new AgentHarness(new ConfigSettings { ReadinessIndicatorFile = "/nonexistent/plexus-ready" });
        agent.Write("10-calico.conflist", Calico);
        var multus = agent.Write("00-multus.conf", Scenarios.NestedMultus(Calico, 1));

        var outcome = agent.Generator.Generate(CancellationToken.None);

        Assert.Equal(GenerateStatus.NoPrimary, outcome.Status);
        Assert.True(File.Exists(multus));
        Assert.Contains($"{multus} loads before 00-plexus.conflist and bypasses Plexus", agent.LogText.ToString());
    }

    [Fact]
    public void Restore_AfterGenerate_PutsTheDirBackAsItWas()
    {
        using var agent = new AgentHarness();
        var nested = Scenarios.NestedMultus(Calico, 2);
        var multus = agent.Write("00-multus.conf", nested);
        File.SetUnixFileMode(multus, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        agent.Write("10-calico.conflist", Calico);
        agent.Generator.Generate(CancellationToken.None);

        var actions = agent.Backup.Restore(null, CancellationToken.None);

        Assert.Equal(2, actions.Count);
        Assert.False(File.Exists(agent.OutputPath));
        Assert.Equal(nested, File.ReadAllText(multus));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(multus));
    }

    [Theory]
    [InlineData("{\"confDir\":\"/etc/cni/net.d\",\"saved\":[{\"name\":\"00-multus.conf\",\"mode\":\"0600\"}]}", "saved file")]
    [InlineData("{\"confDir\":\"/etc/cni/net.d\",\"created\":[7]}", "created file")]
    [InlineData("{\"confDir\":5}", "no confDir")]
    [InlineData("{\"confDir\":\"/etc/cni/net.d\",\"restored\":\"yes\"}", "restored flag that is not true or false")]
    [InlineData("{\"confDir\":", "manifest.json")]
    public void Restore_DamagedManifest_InvalidDataNamingTheEntry(string manifest, string expected)
    {
        using var agent = new AgentHarness();
        agent.Write("10-calico.conflist", Calico);
        agent.Generator.Generate(CancellationToken.None);
        var backup = Path.Combine(agent.BackupDir, Assert.Single(agent.Backup.List()));
        File.WriteAllText(Path.Combine(backup, "manifest.json"), manifest);

        var e = Assert.Throws<InvalidDataException>(() => agent.Backup.Restore(null, CancellationToken.None));

        Assert.Contains(expected, e.Message);
        Assert.True(File.Exists(agent.OutputPath), "nothing was restored from a damaged manifest");
    }

    [Fact]
    public void Restore_NoBackup_ThrowsSayingSo()
    {
        using var agent = new AgentHarness();

        var e = Assert.Throws<FileNotFoundException>(() => agent.Backup.Restore(null, CancellationToken.None));

        Assert.Contains("no backup", e.Message);
    }
}
