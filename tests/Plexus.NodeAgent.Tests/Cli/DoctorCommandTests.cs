using System.Text.Json.Nodes;
using Plexus.NodeAgent.Cli;
using Plexus.NodeAgent.IO;

namespace Plexus.NodeAgent.Tests.Cli;

public sealed class DoctorCommandTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();

    public void Dispose() => _temp.Dispose();

    private string Dir => Path.Combine(_temp.Path, "net.d");

    private string Backups => Path.Combine(_temp.Path, "b");

    private string[] ThickFlags =>
    [
        "--conf-dir", Dir, "--backup-dir", Backups, "--service-account-dir", _temp.Path, "--mode", "thick", "--namespace-isolation",
        "--log-file", "/var/log/p.log", "--log-level", "debug", "--global-namespaces", "default,infra",
        "--kubeconfig-path", "/etc/cni/net.d/plexus.d/plexus.kubeconfig", "--readiness-indicator-file", Path.Combine(_temp.Path, "ready"),
    ];

    [Fact]
    public void DoctorFix_HealthyThickDir_NoRewriteNoBackup()
    {
        var config = GenerateThick();
        var bytes = File.ReadAllBytes(config);
        var written = File.GetLastWriteTimeUtc(config);
        var doctorBackups = Path.Combine(_temp.Path, "doctor-backups");

        Run("doctor", "--conf-dir", Dir, "--fix", "--backup-dir", doctorBackups, "--bin-dir", _temp.Path);

        Assert.Equal(bytes, File.ReadAllBytes(config));
        Assert.Equal(written, File.GetLastWriteTimeUtc(config));
        Assert.False(Directory.Exists(doctorBackups));
        Assert.DoesNotContain("fixed:", _out.ToString());
    }

    [Fact]
    public void DoctorFix_NestedMultusBesideThickConfig_RegeneratedWithTheSameSettings()
    {
        var config = GenerateThick();
        var bytes = File.ReadAllBytes(config);
        File.WriteAllText(Path.Combine(Dir, "00-multus.conf"), Scenarios.SelfNestedMultus(Scenarios.Flannel, 31));

        var code = Run("doctor", "--conf-dir", Dir, "--fix", "--backup-dir", Backups, "--bin-dir", _temp.Path);

        Assert.Contains("fixed: moved 00-multus.conf", _out.ToString());
        Assert.Equal(bytes, File.ReadAllBytes(config));
        Assert.False(File.Exists(Path.Combine(Dir, "00-multus.conf")));
        // The plugin binaries are not in the bin dir: still exit 1, but for that reason only.
        Assert.Equal(1, code);
        Assert.Contains("missing-binary", _out.ToString());
    }

    [Fact]
    public void DoctorFix_AnotherAgentHoldsTheConfDir_ExitsOneFixingNothing()
    {
        var config = GenerateThick();
        var bytes = File.ReadAllBytes(config);
        var nested = Path.Combine(Dir, "00-multus.conf");
        File.WriteAllText(nested, Scenarios.SelfNestedMultus(Scenarios.Flannel, 3));

        int code;
        using (ConfDirLock.TryAcquire(Dir, "config watch", TimeProvider.System, out _))
        {
            code = Run("doctor", "--conf-dir", Dir, "--fix", "--backup-dir", Backups, "--bin-dir", _temp.Path);
        }

        Assert.Equal(1, code);
        Assert.Contains($"plexus doctor: not fixing: another Plexus agent is keeping {Dir} current", _err.ToString());
        Assert.Contains($"pid {Environment.ProcessId}", _err.ToString());
        Assert.True(File.Exists(nested));
        Assert.Equal(bytes, File.ReadAllBytes(config));
        // Without --fix the doctor only reads: it needs no lock.
        using (ConfDirLock.TryAcquire(Dir, "config watch", TimeProvider.System, out _))
        {
            Run("doctor", "--conf-dir", Dir, "--bin-dir", _temp.Path);
        }
        Assert.Contains("self-delegation", _out.ToString());
    }

    [Fact]
    public void DoctorFix_PrimaryChangedUnderThickConfig_RegeneratedKeepingSettings()
    {
        var config = GenerateThick();
        var before = JsonNode.Parse(File.ReadAllBytes(config))!["plugins"]![0]!.AsObject();
        var primary = Path.Combine(Dir, "10-flannel.conflist");
        File.WriteAllText(primary, File.ReadAllText(primary).Replace("\"hairpinMode\": true", "\"hairpinMode\": false"));

        Run("doctor", "--conf-dir", Dir, "--fix", "--backup-dir", Backups, "--bin-dir", _temp.Path);

        var after = JsonNode.Parse(File.ReadAllBytes(config))!["plugins"]![0]!.AsObject();
        Assert.Contains("fixed: wrote", _out.ToString());
        Assert.False(after["delegates"]![0]!["plugins"]![0]!["delegate"]!["hairpinMode"]!.GetValue<bool>());
        before.Remove("delegates");
        after.Remove("delegates");
        Assert.True(JsonNode.DeepEquals(before, after), after.ToJsonString());
        Assert.Equal("plexus-shim", after["type"]!.GetValue<string>());
        Assert.True(after["namespaceIsolation"]!.GetValue<bool>());
    }

    [Fact]
    public void DoctorFix_GenerationFlag_OverridesTheExistingSetting()
    {
        var config = GenerateThick();
        File.WriteAllText(Path.Combine(Dir, "00-multus.conf"), Scenarios.SelfNestedMultus(Scenarios.Flannel, 2));

        Run("doctor", "--conf-dir", Dir, "--fix", "--backup-dir", Backups, "--bin-dir", _temp.Path, "--mode", "thin", "--log-level=error",
            "--additional-bin-dir", "/opt/extra/bin");

        var plugin = JsonNode.Parse(File.ReadAllBytes(config))!["plugins"]![0]!;
        Assert.Equal("plexus", plugin["type"]!.GetValue<string>());
        Assert.Equal("error", plugin["logLevel"]!.GetValue<string>());
        Assert.Equal("/var/log/p.log", plugin["logFile"]!.GetValue<string>());
        Assert.Equal("/opt/extra/bin", plugin["binDir"]!.GetValue<string>());
        Assert.True(plugin["namespaceIsolation"]!.GetValue<bool>());
    }

    [Fact]
    public void DoctorFix_NoPrimary_NotFixedAndExitOne()
    {
        Directory.CreateDirectory(Dir);
        File.WriteAllText(Path.Combine(Dir, "10-broken.conflist"), "{");

        var code = Run("doctor", "--conf-dir", Dir, "--fix", "--backup-dir", Backups, "--bin-dir", _temp.Path);

        Assert.Equal(1, code);
        Assert.Contains("not fixed: no usable primary CNI config", _out.ToString());
        Assert.DoesNotContain("\nfixed:", "\n" + _out.ToString());
    }

    [Fact]
    public void Doctor_BadGenerationFlag_UsageError()
    {
        Directory.CreateDirectory(Dir);

        Assert.Equal(2, Run("doctor", "--conf-dir", Dir, "--mode", "thicker"));
        Assert.Contains("--mode must be thin or thick", _err.ToString());
    }

    [Fact]
    public void ConfigGenerate_UpToDateConfigMode644_SetTo600AndSaid()
    {
        var config = GenerateThick();
        File.SetUnixFileMode(config, (UnixFileMode)0b110_100_100);
        _out.GetStringBuilder().Clear();

        Assert.Equal(0, Run(["config", "generate", .. ThickFlags]));

        Assert.Contains("is up to date", _out.ToString());
        Assert.Contains("set its mode to 0600 (was 0644)", _out.ToString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(config));
    }

    private string GenerateThick()
    {
        Directory.CreateDirectory(Dir);
        Scenarios.CopyTo("flannel", Dir);
        File.WriteAllText(Path.Combine(_temp.Path, "ready"), "");
        Assert.Equal(0, Run(["config", "generate", .. ThickFlags]));
        return Path.Combine(Dir, "00-plexus.conflist");
    }

    private int Run(params string[] args) =>
        AgentCli.Dispatch(args, new CliContext(_out, _err, _ => null, TimeProvider.System, CancellationToken.None));
}
