using System.Text.Json.Nodes;
using Plexus.NodeAgent.Doctor;

namespace Plexus.NodeAgent.Tests.Doctor;

public sealed class DoctorRunnerTests
{
    private const string Bridge = "{\"cniVersion\":\"1.0.0\",\"name\":\"node-net\",\"plugins\":[{\"type\":\"bridge\",\"bridge\":\"cni0\",\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10.88.0.0/16\"}},{\"type\":\"portmap\",\"capabilities\":{\"portMappings\":true}}]}";

    [Fact]
    public void Examine_NestedMultusDir_ReportsSelfDelegationDepthAndShadowing()
    {
        using var agent = new AgentHarness();
        agent.Write("00-multus.conf", Scenarios.NestedMultus(Bridge, 5));
        agent.Write("10-bridge.conflist", Bridge);

        var report = Doctor(agent).Examine(CancellationToken.None);

        Assert.False(report.Healthy);
        Assert.Equal("10-bridge.conflist", report.Primary);
        var codes = report.Findings.Where(f => f.File == "00-multus.conf").Select(f => f.Code).ToList();
        Assert.Contains("self-delegation", codes);
        Assert.Contains("nesting-depth", codes);
        Assert.Contains("shadows-plexus", codes);
        Assert.Contains("5 meta-plugin configs nested", report.Findings.Single(f => f.Code == "nesting-depth").Message);
    }

    [Fact]
    public void Fix_NestedMultusDir_BacksUpUnwrapsAndRegeneratesThenHealthy()
    {
        using var agent = new AgentHarness();
        var nested = Scenarios.NestedMultus(Bridge, 5);
        agent.Write("00-multus.conf", nested);
        agent.Write("10-bridge.conflist", Bridge);
        var doctor = Doctor(agent);

        var actions = doctor.Fix(CancellationToken.None);
        var after = doctor.Examine(CancellationToken.None);

        Assert.True(after.Healthy, after.ToTable());
        Assert.Contains(actions, a => a.Done && a.Message.StartsWith("moved 00-multus.conf"));
        Assert.Equal(nested, File.ReadAllText(Path.Combine(agent.BackupDir, Assert.Single(agent.Backup.List()), "00-multus.conf")));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Bridge), JsonNode.Parse(File.ReadAllBytes(agent.OutputPath))!["plugins"]![0]!["delegates"]![0]));
    }

    [Fact]
    public void Fix_OnlyTheNestedConfigLeft_RecoversTheInnermostPrimary()
    {
        using var agent = new AgentHarness();
        agent.Write("00-multus.conf", Scenarios.NestedMultus(Bridge, 3));
        var doctor = Doctor(agent);
        Assert.Contains(doctor.Examine(CancellationToken.None).Findings, f => f.Code == "no-primary");

        var actions = doctor.Fix(CancellationToken.None);

        var recovered = Path.Combine(agent.ConfDir, "90-recovered-node-net.conflist");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Bridge), JsonNode.Parse(File.ReadAllBytes(recovered))));
        Assert.Contains(actions, a => a.Done && a.Message.Contains("recovered the real primary from inside 00-multus.conf"));
        Assert.True(doctor.Examine(CancellationToken.None).Healthy);
    }

    [Fact]
    public void Examine_MetaWrappingAnotherMeta_ReportsMetaDelegatesToMeta()
    {
        using var agent = new AgentHarness();
        agent.Write("10-bridge.conflist", Bridge);
        agent.Write("70-plexus-old.conflist", "{\"cniVersion\":\"1.0.0\",\"name\":\"p\",\"plugins\":[{\"type\":\"plexus\",\"delegates\":[" + Scenarios.NestedMultus(Bridge, 1) + "]}]}");

        var report = Doctor(agent).Examine(CancellationToken.None);

        Assert.Contains(report.Findings, f => f.Code == "meta-delegates-to-meta" && f.File == "70-plexus-old.conflist");
    }

    [Theory]
    [InlineData("", "empty-file")]
    [InlineData("{\"cniVersion\":", "invalid-config")]
    public void Examine_BrokenFile_Reported(string content, string code)
    {
        using var agent = new AgentHarness();
        agent.Write("10-bridge.conflist", Bridge);
        agent.Write("20-broken.conf", content);

        var report = Doctor(agent).Examine(CancellationToken.None);

        Assert.Contains(report.Findings, f => f.Code == code && f.File == "20-broken.conf" && f.Severity == FindingSeverity.Error);
    }

    [Fact]
    public void Examine_NonMetaFileBeforeOurs_ReportsShadowing()
    {
        using var agent = new AgentHarness();
        agent.Write("00-bridge.conflist", Bridge);
        agent.Generator.Generate(CancellationToken.None);

        var report = Doctor(agent).Examine(CancellationToken.None);

        Assert.Contains(report.Findings, f => f.Code == "shadows-plexus" && f.File == "00-bridge.conflist");
    }

    [Fact]
    public void Examine_PrimaryChangedAfterGenerate_ReportsStaleConfig()
    {
        using var agent = new AgentHarness();
        agent.Write("10-bridge.conflist", Bridge);
        agent.Generator.Generate(CancellationToken.None);
        agent.Write("10-bridge.conflist", Bridge.Replace("cni0", "cni1"));

        var report = Doctor(agent).Examine(CancellationToken.None);

        Assert.Contains(report.Findings, f => f.Code == "stale-config");
    }

    [Fact]
    public void Examine_GrowingMetaConfig_ComparedWithBackup()
    {
        using var agent = new AgentHarness();
        agent.Write("10-bridge.conflist", Bridge);
        agent.Write("00-multus.conf", Scenarios.NestedMultus(Bridge, 1));
        agent.Generator.Generate(CancellationToken.None);
        agent.Write("00-multus.conf", Scenarios.NestedMultus(Bridge, 2));

        var report = Doctor(agent).Examine(CancellationToken.None);

        Assert.Contains(report.Findings, f => f.Code == "growing" && f.File == "00-multus.conf");
    }

    [Fact]
    public void Examine_WorldReadableKubeconfig_Reported()
    {
        using var agent = new AgentHarness();
        var kubeconfig = agent.Temp.File("kc/plexus.kubeconfig", "apiVersion: v1");
        File.SetUnixFileMode(kubeconfig, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        agent.Write("10-bridge.conflist", Bridge.Replace("\"bridge\":\"cni0\"", $"\"kubeconfig\":\"{kubeconfig}\""));

        var report = Doctor(agent).Examine(CancellationToken.None);

        Assert.Contains(report.Findings, f => f.Code == "kubeconfig-readable" && f.Message.Contains(kubeconfig));
    }

    [Theory]
    [InlineData("missing", null, "missing-binary")]
    [InlineData("broken", "VERSION exited 1: boom", "version-failed")]
    [InlineData("old", null, "unsupported-cni-version")]
    public void Examine_PluginProblems_Reported(string which, string? error, string code)
    {
        using var agent = new AgentHarness();
        agent.Write("10-bridge.conflist", Bridge.Replace("\"type\":\"portmap\"", $"\"type\":\"{which}\""));
        var probe = new FakeProbe { [which] = new PluginProbeResult(which == "missing" ? null : "/bin/" + which, which == "old" ? ["0.3.1"] : [], which == "missing" ? "not found" : error) };

        var report = new DoctorRunner(agent.Generator, agent.Backup, probe, []).Examine(CancellationToken.None);

        Assert.Contains(report.Findings, f => f.Code == code && f.Message.Contains(which));
    }

    [SkippableFact]
    public void Examine_RealDebianPlugins_HealthyWhenEverythingIsThere()
    {
        Skip.IfNot(File.Exists("/usr/lib/cni/bridge"), "needs Debian's containernetworking-plugins in /usr/lib/cni (make deps)");
        using var agent = new AgentHarness();
        Scenarios.CopyTo("containerd-bridge", agent.ConfDir);
        agent.Generator.Generate(CancellationToken.None);
        var probe = new FakeProbe(RealProbe()) { ["plexus"] = new("/opt/cni/bin/plexus", ["1.0.0"], null) };

        var report = new DoctorRunner(agent.Generator, agent.Backup, probe, []).Examine(CancellationToken.None);

        Assert.True(report.Healthy, report.ToTable());
    }

    [SkippableFact]
    public void Examine_RealPluginMissingOrNotAnsweringVersion_Reported()
    {
        Skip.IfNot(File.Exists("/usr/lib/cni/bridge"), "needs Debian's containernetworking-plugins in /usr/lib/cni (make deps)");
        using var agent = new AgentHarness();
        var bin = agent.Temp.Sub("bin");
        File.WriteAllText(Path.Combine(bin, "mute"), "#!/bin/sh\necho '{\"code\":4,\"msg\":\"no VERSION here\"}'\nexit 1\n");
        File.SetUnixFileMode(Path.Combine(bin, "mute"), (UnixFileMode)0b111_101_101);
        agent.Write("10-bridge.conflist", Bridge.Replace("\"type\":\"portmap\"", "\"type\":\"mute\"").Replace("\"type\":\"host-local\"", "\"type\":\"nowhere\""));
        var probe = new PluginVersionProbe(new Plexus.Cni.Invoke.ProcessPluginExecutor(), ["/usr/lib/cni", bin]);

        var report = new DoctorRunner(agent.Generator, agent.Backup, probe, []).Examine(CancellationToken.None);

        Assert.Contains(report.Findings, f => f.Code == "version-failed" && f.Message.Contains("mute"));
        Assert.Contains(report.Findings, f => f.Code == "missing-binary" && f.Message.Contains("nowhere") && f.Message.Contains(bin));
        Assert.DoesNotContain(report.Findings, f => f.Message.Contains("\"bridge\""));
    }

    [SkippableFact]
    public void Examine_RealPluginWithTooNewCniVersion_Unsupported()
    {
        Skip.IfNot(File.Exists("/usr/lib/cni/bridge"), "needs Debian's containernetworking-plugins in /usr/lib/cni (make deps)");
        using var agent = new AgentHarness();
        agent.Write("10-bridge.conflist", Bridge.Replace("1.0.0", "1.1.0"));

        var report = new DoctorRunner(agent.Generator, agent.Backup, RealProbe(), []).Examine(CancellationToken.None);

        Assert.Contains(report.Findings, f => f.Code == "unsupported-cni-version" && f.Message.Contains("\"bridge\""));
    }

    [Fact]
    public void Report_Json_HasFindingsAndHealth()
    {
        var report = new DoctorReport { ConfDir = "/d", Primary = "p", Findings = [new(FindingSeverity.Error, "x-code", "f", "m \"q\"")] };

        var json = JsonNode.Parse(report.ToJson())!;

        Assert.False(json["healthy"]!.GetValue<bool>());
        Assert.Equal("error", json["findings"]![0]!["severity"]!.GetValue<string>());
        Assert.Equal("m \"q\"", json["findings"]![0]!["message"]!.GetValue<string>());
        Assert.Contains("x-code", report.ToTable());
    }

    private static PluginVersionProbe RealProbe() =>
        new(new Plexus.Cni.Invoke.ProcessPluginExecutor(), ["/usr/lib/cni"]);

    private static DoctorRunner Doctor(AgentHarness agent) => new(agent.Generator, agent.Backup, new FakeProbe(), []);
}
