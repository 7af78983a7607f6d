using Plexus.NodeAgent.Backup;
using Plexus.NodeAgent.Doctor;
using Plexus.NodeAgent.Generation;

namespace Plexus.NodeAgent.Tests.Doctor;

/// <summary>
/// A file the runtime cannot load that sorts before Plexus's config stops containerd there (upstream Multus leaves an
/// empty 00-multus.conf): generate reports it as blocking, doctor reports it and --fix moves it to the backup.
/// </summary>
public sealed class BlockingFileTests
{
    private static string Calico => Scenarios.PrimaryText("rke2-calico");

    [Theory]
    [InlineData("00-multus.conf", "", "empty file")]
    [InlineData("00-aaa.conflist", "{\"cniVersion\":", "")]
    [InlineData("00-multus.conf", "{\"cniVersion\":\"0.3.1\",\"name\":\"no-type\"}", "")]
    public void Generate_UnloadableFileBeforeOurs_WrittenButReportedAsBlocking(string name, string content, string reason)
    {
        using var agent = new AgentHarness();
        agent.Write("10-calico.conflist", Calico);
        agent.Write(name, content);

        var outcome = agent.Generator.Generate(CancellationToken.None);

        Assert.Equal(GenerateStatus.Written, outcome.Status);
        Assert.Equal(name, Assert.Single(outcome.Blocking).Name);
        Assert.True(File.Exists(Path.Combine(agent.ConfDir, name)), "generate leaves an operator's file where it is");
        Assert.Contains($"error: {Path.Combine(agent.ConfDir, name)} loads before 00-plexus.conflist but the runtime cannot load it ({reason}", agent.LogText.ToString());
        Assert.Contains("plexus doctor --fix", agent.LogText.ToString());
    }

    [Theory]
    [InlineData("99-empty.conf", "")]
    [InlineData("10-broken.conflist", "{")]
    public void Generate_UnloadableFileAfterOurs_NotBlocking(string name, string content)
    {
        using var agent = new AgentHarness();
        agent.Write("10-calico.conflist", Calico);
        agent.Write(name, content);

        var outcome = agent.Generator.Generate(CancellationToken.None);

        Assert.Equal(GenerateStatus.Written, outcome.Status);
        Assert.Empty(outcome.Blocking);
        Assert.DoesNotContain("error:", agent.LogText.ToString());
    }

    [Fact]
    public void Generate_UnloadableFileInTheAutoconfigDirOnly_NotBlocking()
    {
        using var agent = new AgentHarness();
        var autoconfig = agent.Temp.Sub("auto");
        File.WriteAllText(Path.Combine(autoconfig, "10-calico.conflist"), Calico);
        File.WriteAllText(Path.Combine(autoconfig, "00-multus.conf"), "");
        var generator = new ConfigGenerator(agent.Generator.Options with { AutoconfigDir = autoconfig }, agent.Backup, agent.Log);

        var outcome = generator.Generate(CancellationToken.None);

        Assert.Equal(GenerateStatus.Written, outcome.Status);
        Assert.Empty(outcome.Blocking);
    }

    [Fact]
    public void Examine_EmptyMultusConfBeforeOurs_ShadowsPlexus()
    {
        using var agent = new AgentHarness();
        agent.Write("10-calico.conflist", Calico);
        agent.Write("00-multus.conf", "");
        agent.Generator.Generate(CancellationToken.None);

        var report = Doctor(agent).Examine(CancellationToken.None);

        var codes = report.Findings.Where(f => f.File == "00-multus.conf").Select(f => f.Code).ToList();
        Assert.Contains("empty-file", codes);
        var shadow = Assert.Single(report.Findings, f => f.Code == "shadows-plexus");
        Assert.Equal(FindingSeverity.Error, shadow.Severity);
        Assert.Contains("cannot load it", shadow.Message);
        Assert.Contains("`plexus doctor --fix` moves it to the backup dir", shadow.Message);
    }

    [Fact]
    public void Examine_EmptyFileAfterOurs_NoShadowing()
    {
        using var agent = new AgentHarness();
        agent.Write("10-calico.conflist", Calico);
        agent.Write("99-empty.conf", "");
        agent.Generator.Generate(CancellationToken.None);

        var report = Doctor(agent).Examine(CancellationToken.None);

        Assert.Contains(report.Findings, f => f.Code == "empty-file" && f.File == "99-empty.conf");
        Assert.DoesNotContain(report.Findings, f => f.Code == "shadows-plexus");
    }

    [Fact]
    public void Fix_EmptyMultusConfBeforeOurs_MovedToTheBackupAndRestorable()
    {
        using var agent = new AgentHarness();
        agent.Write("10-calico.conflist", Calico);
        var multus = agent.Write("00-multus.conf", "");
        agent.Generator.Generate(CancellationToken.None);
        var doctor = new DoctorRunner(agent.Generator, new BackupStore(agent.BackupDir, TimeProvider.System), new FakeProbe(), []);

        var actions = doctor.Fix(CancellationToken.None);
        var after = doctor.Examine(CancellationToken.None);

        Assert.Contains(actions, a => a.Done && a.Message.StartsWith("moved 00-multus.conf (empty file; the runtime cannot load it)"));
        Assert.False(File.Exists(multus));
        Assert.True(after.Healthy, after.ToTable());
        new BackupStore(agent.BackupDir, TimeProvider.System).Restore(null, CancellationToken.None);
        Assert.Equal("", File.ReadAllText(multus));
    }

    [Fact]
    public void Fix_DirectoryNamedLikeAConfBeforeOurs_LeftAlone()
    {
        using var agent = new AgentHarness();
        agent.Write("10-calico.conflist", Calico);
        Directory.CreateDirectory(Path.Combine(agent.ConfDir, "00-dir.conf"));
        agent.Generator.Generate(CancellationToken.None);

        var actions = Doctor(agent).Fix(CancellationToken.None);

        Assert.True(Directory.Exists(Path.Combine(agent.ConfDir, "00-dir.conf")));
        Assert.DoesNotContain(actions, a => a.Message.Contains("00-dir.conf"));
    }

    private static DoctorRunner Doctor(AgentHarness agent) => new(agent.Generator, agent.Backup, new FakeProbe(), []);
}
