using System.Text.Json.Nodes;
using Plexus.NodeAgent.Doctor;
using Plexus.NodeAgent.Generation;
using Plexus.NodeAgent.Rendering;

namespace Plexus.NodeAgent.Tests.Doctor;

public sealed class DoctorFixTests
{
    private const string Bridge = "{\"cniVersion\":\"1.0.0\",\"name\":\"node-net\",\"plugins\":[{\"type\":\"bridge\",\"bridge\":\"cni0\",\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10.88.0.0/16\"}}]}";

    private static readonly ConfigSettings Thick = new()
    {
        PluginType = "plexus-shim",
        NamespaceIsolation = true,
        LogFile = "/var/log/p.log",
        Kubeconfig = "/etc/cni/net.d/plexus.d/plexus.kubeconfig",
    };

    [Fact]
    public void Fix_HealthyThickDir_ChangesNothing()
    {
        using var kubeconfigDir = new TempDir();
        var kubeconfig = kubeconfigDir.File("plexus.kubeconfig", "apiVersion: v1");
        File.SetUnixFileMode(kubeconfig, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using var agent = new AgentHarness(Thick with { Kubeconfig = kubeconfig });
        agent.Write("10-bridge.conflist", Bridge);
        agent.Generator.Generate(CancellationToken.None);
        var bytes = File.ReadAllBytes(agent.OutputPath);
        var written = File.GetLastWriteTimeUtc(agent.OutputPath);
        var backups = agent.Backup.List().Count;
        // A doctor built with default settings: had it regenerated, the file would turn thin.
        var doctor = new DoctorRunner(new ConfigGenerator(new GeneratorOptions { ConfDir = agent.ConfDir }, agent.Backup, agent.Log), agent.Backup, new FakeProbe(), []);
        Assert.True(doctor.Examine(CancellationToken.None).Healthy);

        var actions = doctor.Fix(CancellationToken.None);

        Assert.Empty(actions);
        Assert.Equal(bytes, File.ReadAllBytes(agent.OutputPath));
        Assert.Equal(written, File.GetLastWriteTimeUtc(agent.OutputPath));
        Assert.Equal(backups, agent.Backup.List().Count);
    }

    [Fact]
    public void Fix_NoPrimary_ReportedAsNotFixedWithWhatToDo()
    {
        using var agent = new AgentHarness();
        agent.Write("20-broken.conf", "{\"cniVersion\":");
        var doctor = Doctor(agent);

        var action = Assert.Single(doctor.Fix(CancellationToken.None));
        var table = (doctor.Examine(CancellationToken.None) with { Actions = [action] }).ToTable();

        Assert.False(action.Done);
        Assert.Contains("no usable primary", action.Message);
        Assert.Contains("Put the cluster network's config into", action.Message);
        Assert.Contains("not fixed: no usable primary", table);
        Assert.DoesNotContain("\nfixed:", "\n" + table);
        Assert.False(File.Exists(agent.OutputPath));
    }

    [Fact]
    public void Report_Json_SeparatesFixedAndNotFixed()
    {
        var report = new DoctorReport { ConfDir = "/d", Findings = [], Actions = [FixAction.Fixed("did a"), FixAction.NotFixed("could not b")] };

        var json = JsonNode.Parse(report.ToJson())!;

        Assert.Equal(["did a"], json["actions"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(["could not b"], json["notFixed"]!.AsArray().Select(a => a!.GetValue<string>()));
    }

    [Fact]
    public void Examine_PrimaryWithUnsupportedCniVersion_PredictsWhatGenerateDoes()
    {
        using var agent = new AgentHarness();
        agent.Write("10-bridge.conflist", Bridge.Replace("1.0.0", "99.0.0"));

        var report = Doctor(agent).Examine(CancellationToken.None);
        var generated = agent.Generator.Generate(CancellationToken.None);

        Assert.Equal(GenerateStatus.NoPrimary, generated.Status);
        Assert.DoesNotContain(report.Findings, f => f.Code == "not-generated");
        var refused = Assert.Single(report.Findings, f => f.Code == ConfDirChecks.NoPrimary);
        Assert.Equal(FindingSeverity.Error, refused.Severity);
        Assert.Contains("refuses it", refused.Message);
        Assert.Contains("99.0.0", refused.Message);
        Assert.False(report.Healthy);
    }

    [Fact]
    public void Fix_RecoveredNameTaken_WritesAFreeNameAndRestoreKeepsTheOperatorsFile()
    {
        using var agent = new AgentHarness();
        const string Operators = "{\"cniVersion\":\"1.0.0\",\"name\":\"mine\"}";
        agent.Write("90-recovered-node-net.conflist", Operators);
        agent.Write("00-multus.conf", Scenarios.NestedMultus(Bridge, 3));
        var doctor = Doctor(agent);

        var actions = doctor.Fix(CancellationToken.None);
        var recovered = Path.Combine(agent.ConfDir, "90-recovered-node-net-2.conflist");
        var recoveredOk = JsonNode.DeepEquals(JsonNode.Parse(Bridge), JsonNode.Parse(File.ReadAllBytes(recovered)));
        agent.Backup.Restore(null, CancellationToken.None);

        Assert.Contains(actions, a => a.Done && a.Message.Contains("as 90-recovered-node-net-2.conflist"));
        Assert.True(recoveredOk);
        Assert.Equal(Operators, File.ReadAllText(Path.Combine(agent.ConfDir, "90-recovered-node-net.conflist")));
        Assert.False(File.Exists(recovered));
        Assert.True(File.Exists(Path.Combine(agent.ConfDir, "00-multus.conf")));
    }

    [Fact]
    public void Fix_GroupReadableKubeconfig_ModeTakenAwayAndReportClean()
    {
        using var agent = new AgentHarness();
        var kubeconfig = agent.Temp.File("kc/plexus.kubeconfig", "apiVersion: v1");
        File.SetUnixFileMode(kubeconfig, (UnixFileMode)0b110_100_100);
        agent.Write("10-bridge.conflist", Bridge.Replace("\"bridge\":\"cni0\"", $"\"kubeconfig\":\"{kubeconfig}\""));
        agent.Generator.Generate(CancellationToken.None);
        var doctor = Doctor(agent);
        Assert.Contains(doctor.Examine(CancellationToken.None).Findings, f => f.Code == "kubeconfig-readable");

        var actions = doctor.Fix(CancellationToken.None);

        Assert.Contains(actions, a => a.Done && a.Message.Contains(kubeconfig) && a.Message.Contains("0644 -> 0600"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(kubeconfig));
        Assert.True(doctor.Examine(CancellationToken.None).Healthy);
    }

    [Theory]
    [InlineData(31)]
    [InlineData(200)]
    [InlineData(2000)]
    public void Examine_DeeplySelfNestedMultus_SelfDelegationNotInvalid(int levels)
    {
        using var agent = new AgentHarness();
        Scenarios.CopyTo("flannel", agent.ConfDir);
        agent.Write("00-multus.conf", Scenarios.SelfNestedMultus(Scenarios.Flannel, levels));

        var report = Doctor(agent).Examine(CancellationToken.None);

        var codes = report.Findings.Where(f => f.File == "00-multus.conf").Select(f => f.Code).ToList();
        Assert.Contains("self-delegation", codes);
        Assert.Contains("shadows-plexus", codes);
        Assert.DoesNotContain("invalid-config", codes);
        Assert.Contains($"{levels} meta-plugin configs nested", report.Findings.Single(f => f.Code == "nesting-depth").Message);
    }

    [Theory]
    [InlineData(31, true)]
    [InlineData(200, true)]
    [InlineData(2000, true)]
    [InlineData(2000, false)]
    public void Fix_DeeplySelfNestedMultus_MovedOutAndHealthy(int levels, bool primaryLeft)
    {
        using var agent = new AgentHarness();
        if (primaryLeft)
        {
            Scenarios.CopyTo("flannel", agent.ConfDir);
        }
        agent.Write("00-multus.conf", Scenarios.SelfNestedMultus(Scenarios.Flannel, levels));
        var doctor = Doctor(agent);

        var actions = doctor.Fix(CancellationToken.None);

        Assert.All(actions, a => Assert.True(a.Done, a.Message));
        Assert.Contains(actions, a => a.Message.StartsWith($"moved 00-multus.conf (meta-plugin config, nesting depth {levels})"));
        Assert.Equal(!primaryLeft, actions.Any(a => a.Message.Contains("recovered the real primary")));
        Assert.False(File.Exists(Path.Combine(agent.ConfDir, "00-multus.conf")));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Scenarios.Flannel), JsonNode.Parse(File.ReadAllBytes(agent.OutputPath))!["plugins"]![0]!["delegates"]![0]));
        Assert.True(doctor.Examine(CancellationToken.None).Healthy);
    }

    private static DoctorRunner Doctor(AgentHarness agent) => new(agent.Generator, agent.Backup, new FakeProbe(), []);
}
