using Plexus.NodeAgent.Doctor;
using Plexus.NodeAgent.Rendering;

namespace Plexus.NodeAgent.Tests.Doctor;

/// <summary>The kubeconfig Plexus's own config names is needed by every ADD; another config's is that plugin's business.</summary>
public sealed class KubeconfigMissingTests
{
    [Fact]
    public void Examine_OwnKubeconfigMissing_ErrorWithThePathAndWhatToDo()
    {
        var kubeconfig = Path.Combine(Path.GetTempPath(), "plexus-test-nonexistent", "plexus.d", "plexus.kubeconfig");
        using var configured = new AgentHarness(new ConfigSettings { Kubeconfig = kubeconfig });
        Scenarios.CopyTo("flannel", configured.ConfDir);
        configured.Generator.Generate(CancellationToken.None);

        var report = Doctor(configured).Examine(CancellationToken.None);

        var missing = Assert.Single(report.Findings, f => f.Code == "kubeconfig-missing");
        Assert.Equal(FindingSeverity.Error, missing.Severity);
        Assert.Equal("00-plexus.conflist", missing.File);
        Assert.Contains(kubeconfig, missing.Message);
        Assert.Contains("every pod ADD fails", missing.Message);
        Assert.Contains("--service-account-dir", missing.Message);
        Assert.False(report.Healthy);
    }

    [Fact]
    public void Examine_OwnKubeconfigPresent_NoFinding()
    {
        using var kubeconfigDir = new TempDir();
        var kubeconfig = kubeconfigDir.File("plexus.d/plexus.kubeconfig", "apiVersion: v1");
        File.SetUnixFileMode(kubeconfig, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using var configured = new AgentHarness(new ConfigSettings { Kubeconfig = kubeconfig });
        Scenarios.CopyTo("flannel", configured.ConfDir);
        configured.Generator.Generate(CancellationToken.None);

        var report = Doctor(configured).Examine(CancellationToken.None);

        Assert.DoesNotContain(report.Findings, f => f.Code.StartsWith("kubeconfig-"));
        Assert.True(report.Healthy, report.ToTable());
    }

    [Fact]
    public void Examine_PrimarysOwnKubeconfigMissing_OnlyInfoAboutThePrimary()
    {
        using var agent = new AgentHarness();
        Scenarios.CopyTo("rke2-calico", agent.ConfDir);
        agent.Generator.Generate(CancellationToken.None);

        var report = Doctor(agent).Examine(CancellationToken.None);

        var missing = Assert.Single(report.Findings, f => f.Code == "kubeconfig-missing");
        Assert.Equal(FindingSeverity.Info, missing.Severity);
        Assert.Equal("10-calico.conflist", missing.File);
        Assert.True(report.Healthy, report.ToTable());
    }

    private static DoctorRunner Doctor(AgentHarness agent) => new(agent.Generator, agent.Backup, new FakeProbe(), []);
}
