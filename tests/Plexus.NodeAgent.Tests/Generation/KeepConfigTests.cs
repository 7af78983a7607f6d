using System.Text.Json.Nodes;
using Plexus.NodeAgent.Cli;
using Plexus.NodeAgent.Generation;
using Plexus.NodeAgent.Rendering;

namespace Plexus.NodeAgent.Tests.Generation;

/// <summary>
/// Plexus's config is removed only when nothing else the runtime loads would take over (the primary is gone: the node
/// reports NotReady). Otherwise it stays as it was and the pass reports why, since without it the runtime would hand new
/// pods the primary alone; and the primary the config came from, turning empty or cut short, is taken to be mid-rewrite,
/// by the agent that wrote the config and by one restarted since.
/// </summary>
public sealed class KeepConfigTests : IDisposable
{
    private const string MultusAfterOurs = "{\"cniVersion\":\"0.3.1\",\"name\":\"m\",\"type\":\"multus\",\"delegates\":[{\"cniVersion\":\"0.3.1\",\"name\":\"b\",\"type\":\"bridge\"}]}";

    private const string Loopback = "{\"cniVersion\":\"0.3.1\",\"name\":\"lo\",\"type\":\"loopback\"}";

    private readonly AgentHarness _agent = new();
    private readonly StringWriter _out = new();

    public KeepConfigTests() => Scenarios.CopyTo("flannel", _agent.ConfDir);

    public void Dispose() => _agent.Dispose();

    private string Primary => Path.Combine(_agent.ConfDir, "10-flannel.conflist");

    [Fact]
    public void Generate_ReadinessIndicatorGoneButPrimaryLoadable_KeepsTheConfigAndSaysWhy()
    {
        var indicator = _agent.Temp.File("ready", "");
        var generator = With(new ConfigSettings { ReadinessIndicatorFile = indicator });
        Assert.Equal(GenerateStatus.Written, generator.Generate(CancellationToken.None).Status);
        var bytes = File.ReadAllBytes(_agent.OutputPath);

        File.Delete(indicator);
        var outcome = generator.Generate(CancellationToken.None);

        Assert.Equal(GenerateStatus.NoPrimary, outcome.Status);
        Assert.Equal(bytes, File.ReadAllBytes(_agent.OutputPath));
        // It still names the indicator, so an ADD through it waits for the file as upstream's does.
        Assert.Equal(indicator, JsonNode.Parse(bytes)!["plugins"]![0]!["readinessindicatorfile"]!.GetValue<string>());
        Assert.Contains($"readiness indicator file {indicator} does not exist", outcome.Message);
        Assert.Contains($"kept {_agent.OutputPath}", outcome.Message);
        Assert.Contains(Primary, outcome.Message);
        Assert.Contains("error: ", _agent.LogText.ToString());
    }

    [Fact]
    public void Generate_CniVersionTheGeneratorRefuses_KeepsTheConfig()
    {
        Assert.Equal(GenerateStatus.Written, _agent.Generator.Generate(CancellationToken.None).Status);
        var bytes = File.ReadAllBytes(_agent.OutputPath);

        var outcome = With(new ConfigSettings { CniVersion = "0.4.0" }).Generate(CancellationToken.None);

        Assert.Equal(GenerateStatus.NoPrimary, outcome.Status);
        Assert.Contains("--force-cni-version", outcome.Message);
        Assert.Equal(bytes, File.ReadAllBytes(_agent.OutputPath));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)] // an empty file loads for no runtime: it cannot take over
    [InlineData("{\"cniVersion\":", false)]
    [InlineData(MultusAfterOurs, true)] // the runtime would load it instead
    public void Generate_PrimaryGone_ConfigRemovedOnlyWhenNothingElseWouldLoad(string? leftover, bool kept)
    {
        _agent.Generator.Generate(CancellationToken.None);
        if (leftover is not null)
        {
            _agent.Write("99-leftover.conf", leftover);
        }

        File.Delete(Primary);
        var outcome = _agent.Generator.Generate(CancellationToken.None);

        Assert.Equal(GenerateStatus.NoPrimary, outcome.Status);
        Assert.Equal(kept, File.Exists(_agent.OutputPath));
        Assert.Contains(kept ? "99-leftover.conf" : "so the node reports NotReady", outcome.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\n  \"name\": \"cbr0\",\n  \"cniVer")]
    public void Generate_PrimaryTruncatedWhileWatched_ConfigNeitherRemovedNorRewrittenAroundAnother(string partial)
    {
        _agent.Write("99-loopback.conf", Loopback);
        var flannel = File.ReadAllText(Primary);
        _agent.Generator.Generate(CancellationToken.None);
        var bytes = File.ReadAllBytes(_agent.OutputPath);

        File.WriteAllText(Primary, partial);
        var during = _agent.Generator.Generate(CancellationToken.None);
        var duringBytes = File.ReadAllBytes(_agent.OutputPath);
        File.WriteAllText(Primary, flannel);
        var after = _agent.Generator.Generate(CancellationToken.None);

        Assert.Equal(GenerateStatus.NoPrimary, during.Status);
        Assert.Contains("10-flannel.conflist does not load", during.Message);
        Assert.Equal(bytes, duringBytes);
        Assert.Equal(GenerateStatus.Unchanged, after.Status);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\n  \"name\": \"cbr0\",\n  \"cniVer")]
    public void Generate_PrimaryTruncatedAtAgentRestart_ConfigKeptAsByTheAgentThatWroteIt(string partial)
    {
        var flannel = File.ReadAllText(Primary);
        _agent.Generator.Generate(CancellationToken.None);
        var bytes = File.ReadAllBytes(_agent.OutputPath);

        File.WriteAllText(Primary, partial);
        var during = Restarted().Generate(CancellationToken.None);
        var duringBytes = File.ReadAllBytes(_agent.OutputPath);
        File.WriteAllText(Primary, flannel);
        var after = Restarted().Generate(CancellationToken.None);

        Assert.Equal(GenerateStatus.NoPrimary, during.Status);
        Assert.Contains($"primary {Primary} does not load", during.Message);
        Assert.Equal(bytes, duringBytes);
        Assert.Equal(GenerateStatus.Unchanged, after.Status);
    }

    [Fact]
    public void ConfigGenerate_RunAgainOnATruncatedPrimary_ExitsOneConfigKept()
    {
        string[] flags = ["config", "generate", "--conf-dir", _agent.ConfDir, "--backup-dir", _agent.BackupDir];
        Assert.Equal(0, Run(flags));
        var bytes = File.ReadAllBytes(_agent.OutputPath);

        File.WriteAllText(Primary, "");
        var code = Run(flags);

        Assert.Equal(1, code);
        Assert.Equal(bytes, File.ReadAllBytes(_agent.OutputPath));
        Assert.Contains($"primary {Primary} does not load", _out.ToString());
    }

    [Fact]
    public void Generate_AnotherPrimaryBrokenAtAgentRestart_NotTakenForARewrite()
    {
        _agent.Generator.Generate(CancellationToken.None);
        // flannel replaced by calico while no agent ran, and calico's file caught mid-write.
        File.Delete(Primary);
        _agent.Write("10-calico.conflist", "");

        var outcome = Restarted().Generate(CancellationToken.None);

        Assert.Equal(GenerateStatus.NoPrimary, outcome.Status);
        Assert.DoesNotContain("does not load", outcome.Message);
        Assert.False(File.Exists(_agent.OutputPath));
    }

    [Theory]
    [InlineData("replaced")] // restored from a backup, or written by another agent, since the record
    [InlineData("record not JSON")]
    [InlineData("record without a hash")]
    public void Generate_RecordNotOfTheConfigOnDisk_PrimaryTruncatedAtRestartNotTakenForARewrite(string change)
    {
        _agent.Generator.Generate(CancellationToken.None);
        var record = ConfigOrigin.PathIn(_agent.ConfDir);
        switch (change)
        {
            case "replaced":
                File.WriteAllText(_agent.OutputPath, File.ReadAllText(_agent.OutputPath).Replace("plexus-cni-network", "older", StringComparison.Ordinal));
                break;
            case "record not JSON":
                File.WriteAllText(record, "{\"primary\":");
                break;
            default:
                File.WriteAllText(record, $"{{\"primary\":\"{Primary}\"}}");
                break;
        }
        File.WriteAllText(Primary, "");

        var outcome = Restarted().Generate(CancellationToken.None);

        Assert.Equal(GenerateStatus.NoPrimary, outcome.Status);
        Assert.DoesNotContain("does not load", outcome.Message);
        Assert.False(File.Exists(_agent.OutputPath));
        Assert.Equal(change != "replaced", _agent.LogText.ToString().Contains($"warn: ignored {record}", StringComparison.Ordinal));
    }

    [Fact]
    public void Generate_Record_WrittenAtomicallyOwnerOnlyWithTheConfigAndRemovedWithIt()
    {
        var record = ConfigOrigin.PathIn(_agent.ConfDir);

        _agent.Generator.Generate(CancellationToken.None);
        var written = File.ReadAllText(record);
        File.WriteAllText(record, "{}");
        var confirmed = Restarted().Generate(CancellationToken.None);

        Assert.Equal(GenerateStatus.Unchanged, confirmed.Status);
        Assert.Equal(written, File.ReadAllText(record));
        Assert.Contains(Primary, written);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(record));
        Assert.Equal([record], Directory.GetFiles(Path.GetDirectoryName(record)!));

        File.Delete(Primary);
        Restarted().Generate(CancellationToken.None);

        Assert.False(File.Exists(_agent.OutputPath));
        Assert.False(File.Exists(record));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ConfigGenerate_ReadinessIndicatorRemovedOrVersionRefused_ExitsOneConfigKept(bool readiness)
    {
        var indicator = _agent.Temp.File("r", "");
        string[] flags = ["config", "generate", "--conf-dir", _agent.ConfDir, "--backup-dir", _agent.BackupDir, "--readiness-indicator-file", indicator];
        Assert.Equal(0, Run(flags));
        var bytes = File.ReadAllBytes(_agent.OutputPath);

        if (readiness)
        {
            File.Delete(indicator);
        }
        var code = Run(readiness ? flags : [.. flags, "--cni-version", "0.4.0"]);

        Assert.Equal(1, code);
        Assert.Equal(bytes, File.ReadAllBytes(_agent.OutputPath));
        Assert.Contains("kept " + _agent.OutputPath, _out.ToString());
        Assert.DoesNotContain("NotReady", _out.ToString());
    }

    private int Run(string[] args) =>
        AgentCli.Dispatch(args, new CliContext(_out, _out, _ => null, TimeProvider.System, CancellationToken.None));

    /// <summary>A generator of a new agent process on the same dirs, with the same settings.</summary>
    private ConfigGenerator Restarted() => With(new ConfigSettings());

    private ConfigGenerator With(ConfigSettings settings) =>
        new(_agent.Generator.Options with { Settings = settings }, _agent.Backup, _agent.Log);
}
