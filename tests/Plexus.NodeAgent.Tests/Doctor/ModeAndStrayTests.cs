using Plexus.NodeAgent.Doctor;

namespace Plexus.NodeAgent.Tests.Doctor;

/// <summary>The runtime runs what configs name as root: who may write them matters, and killed writers leave temp files.</summary>
public sealed class ModeAndStrayTests
{
    private const UnixFileMode Mode600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public void FixThenExamine_WorldWritableOwnConfigAndAnAbandonedTempFile_ReportedThenRepaired()
    {
        using var agent = Generated();
        File.SetUnixFileMode(agent.OutputPath, (UnixFileMode)0b110_110_110);
        var stray = Abandoned(agent, ".plexus-tmp-00-plexus.conflist-0123abcd");
        var doctor = Doctor(agent);

        var before = doctor.Examine(CancellationToken.None);
        var actions = doctor.Fix(CancellationToken.None);
        var after = doctor.Examine(CancellationToken.None);

        var mode = Assert.Single(before.Findings, f => f.Code == "config-mode");
        Assert.Equal(FindingSeverity.Error, mode.Severity);
        Assert.Contains("0666", mode.Message);
        Assert.Contains("binDir", mode.Message);
        Assert.Contains(before.Findings, f => f.Code == "stray-temp-file" && f.File == Path.GetFileName(stray));
        Assert.Contains(actions, a => a.Done && a.Message.Contains("set its mode to 0600 (was 0666)"));
        Assert.Contains(actions, a => a.Done && a.Message.Contains("removed abandoned temp file " + stray));
        Assert.Equal(Mode600, File.GetUnixFileMode(agent.OutputPath));
        Assert.False(File.Exists(stray));
        Assert.True(after.Healthy, after.ToTable());
    }

    [Fact]
    public void Examine_GroupReadableOwnConfig_WarningAndFixSetsIt()
    {
        using var agent = Generated();
        File.SetUnixFileMode(agent.OutputPath, (UnixFileMode)0b110_100_100);

        var finding = Assert.Single(Doctor(agent).Examine(CancellationToken.None).Findings, f => f.Code == "config-mode");
        Doctor(agent).Fix(CancellationToken.None);

        Assert.Equal(FindingSeverity.Warning, finding.Severity);
        Assert.Equal(Mode600, File.GetUnixFileMode(agent.OutputPath));
    }

    [Fact]
    public void Fix_WritableForeignConfig_ReportedButLeftAsItIs()
    {
        using var agent = Generated();
        var flannel = Path.Combine(agent.ConfDir, "10-flannel.conflist");
        File.SetUnixFileMode(flannel, (UnixFileMode)0b110_110_100);
        var doctor = Doctor(agent);

        var finding = Assert.Single(doctor.Examine(CancellationToken.None).Findings, f => f.Code == "config-writable");
        doctor.Fix(CancellationToken.None);

        Assert.Equal(FindingSeverity.Warning, finding.Severity);
        Assert.Equal("10-flannel.conflist", finding.File);
        Assert.Contains("0664", finding.Message);
        Assert.Equal((UnixFileMode)0b110_110_100, File.GetUnixFileMode(flannel));
    }

    [Fact]
    public void Examine_ReadableForeignConfig_NoFinding()
    {
        using var agent = Generated();

        var report = Doctor(agent).Examine(CancellationToken.None);

        Assert.True(report.Healthy, report.ToTable());
        Assert.Empty(report.Findings);
    }

    [Fact]
    public void Fix_TempFileOfAWriteInProgress_NeitherReportedNorRemoved()
    {
        using var agent = Generated();
        var live = Path.Combine(agent.ConfDir, ".plexus-tmp-90-recovered-x.conflist-89abcdef");
        File.WriteAllText(live, "{");

        var report = Doctor(agent).Examine(CancellationToken.None);
        Doctor(agent).Fix(CancellationToken.None);

        Assert.DoesNotContain(report.Findings, f => f.Code == "stray-temp-file");
        Assert.True(File.Exists(live));
    }

    [Theory]
    [InlineData(".plexus-tmp-00-plexus.conflist-0123abcg")]
    [InlineData(".plexus-tmp-00-plexus.conflist-0123abc")]
    [InlineData(".plexus-tmp-00-plexus.conflist")]
    [InlineData("plexus-tmp-00-plexus.conflist-0123abcd")]
    public void Fix_NamesThatAreNotOurTempFiles_LeftAlone(string name)
    {
        using var agent = Generated();
        var other = Abandoned(agent, name);

        var report = Doctor(agent).Examine(CancellationToken.None);
        Doctor(agent).Fix(CancellationToken.None);

        Assert.DoesNotContain(report.Findings, f => f.Code == "stray-temp-file");
        Assert.True(File.Exists(other));
    }

    [Fact]
    public void Fix_AbandonedTempFileOfTheKubeconfig_Removed()
    {
        using var agent = Generated();
        var kubeconfigDir = agent.Temp.Sub("plexus.d");
        var stray = Path.Combine(kubeconfigDir, ".plexus-tmp-plexus.kubeconfig-00ff00ff");
        File.WriteAllText(stray, "token: secret");
        File.SetLastWriteTimeUtc(stray, DateTime.UtcNow.AddHours(-1));
        var doctor = new DoctorRunner(agent.Generator, agent.Backup, new FakeProbe(), [Path.Combine(kubeconfigDir, "plexus.kubeconfig")]);

        Assert.Contains(doctor.Examine(CancellationToken.None).Findings, f => f.Code == "stray-temp-file" && f.File == stray);
        doctor.Fix(CancellationToken.None);

        Assert.False(File.Exists(stray));
    }

    private static AgentHarness Generated()
    {
        var agent = new AgentHarness();
        Scenarios.CopyTo("flannel", agent.ConfDir);
        agent.Generator.Generate(CancellationToken.None);
        return agent;
    }

    /// <summary>A file left an hour ago: no write lasts that long.</summary>
    private static string Abandoned(AgentHarness agent, string name)
    {
        var path = agent.Write(name, "{\"partial\":");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddHours(-1));
        return path;
    }

    private static DoctorRunner Doctor(AgentHarness agent) => new(agent.Generator, agent.Backup, new FakeProbe(), []);
}
