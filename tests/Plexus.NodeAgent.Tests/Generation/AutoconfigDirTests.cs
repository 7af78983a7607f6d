using System.Text.Json.Nodes;
using Plexus.NodeAgent.Cli;
using Plexus.NodeAgent.Doctor;
using Plexus.NodeAgent.Generation;
using Plexus.NodeAgent.Rendering;

namespace Plexus.NodeAgent.Tests.Generation;

/// <summary>
/// With a separate autoconfig dir the primary comes only from there (as in Multus); the conf dir's files count only for
/// what the runtime loads: meta configs shadowing Plexus's, and what would take over without it. The doctor selects the
/// same way, through the generator.
/// </summary>
public sealed class AutoconfigDirTests : IDisposable
{
    private const string Calico = "{\"name\":\"k8s-pod-network\",\"cniVersion\":\"0.3.1\",\"plugins\":[{\"type\":\"calico\"},{\"type\":\"portmap\",\"capabilities\":{\"portMappings\":true}}]}";

    // Multus's thick-mode config: no delegates, the cluster network named and read from the autoconfig dir by the daemon.
    private const string ThickMultus = "{\"cniVersion\":\"0.3.1\",\"name\":\"multus-cni-network\",\"type\":\"multus-shim\",\"logLevel\":\"verbose\",\"clusterNetwork\":\"cbr0\"}";

    private readonly TempDir _temp = new();
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();
    private readonly StringWriter _log = new();

    public AutoconfigDirTests()
    {
        Directory.CreateDirectory(ConfDir);
        Directory.CreateDirectory(AutoDir);
    }

    public void Dispose() => _temp.Dispose();

    private string ConfDir => Path.Combine(_temp.Path, "net.d");

    private string AutoDir => Path.Combine(_temp.Path, "auto");

    private string Output => Path.Combine(ConfDir, ConfigSettings.DefaultFileName);

    [Fact]
    public void Generate_StaleConfDirFileSortsFirst_PrimaryStillFromTheAutoconfigDir()
    {
        File.WriteAllText(Path.Combine(AutoDir, "20-calico.conflist"), Calico);
        Scenarios.CopyTo("flannel", ConfDir);

        var outcome = Generator().Generate(CancellationToken.None);

        Assert.Equal(GenerateStatus.Written, outcome.Status);
        Assert.Equal(Path.Combine(AutoDir, "20-calico.conflist"), outcome.Selection!.Primary!.Path);
        Assert.Equal("k8s-pod-network", ClusterName());
        Assert.True(File.Exists(Path.Combine(ConfDir, "10-flannel.conflist")), "a conf dir file that is not a meta config is never moved");
    }

    [Fact]
    public void Generate_OnlyTheConfDirHasAPrimary_NoPrimarySayingWhy()
    {
        Scenarios.CopyTo("flannel", ConfDir);

        var outcome = Generator().Generate(CancellationToken.None);

        Assert.Equal(GenerateStatus.NoPrimary, outcome.Status);
        Assert.Contains("10-flannel.conflist", outcome.Message);
        Assert.Contains("not the autoconfig dir", outcome.Message);
        Assert.False(File.Exists(Output));
    }

    [Fact]
    public void Generate_MetaConfigs_OnlyTheConfDirsShadowingOneIsMoved()
    {
        File.WriteAllText(Path.Combine(AutoDir, "20-calico.conflist"), Calico);
        File.WriteAllText(Path.Combine(AutoDir, "00-multus.conf"), Scenarios.NestedMultus(Calico, 1));
        File.WriteAllText(Path.Combine(ConfDir, "00-multus.conf"), Scenarios.NestedMultus(Calico, 2));

        var outcome = Generator().Generate(CancellationToken.None);

        Assert.Equal(GenerateStatus.Written, outcome.Status);
        Assert.False(File.Exists(Path.Combine(ConfDir, "00-multus.conf")));
        Assert.True(File.Exists(Path.Combine(AutoDir, "00-multus.conf")), "the autoconfig dir is not the runtime's: nothing there shadows Plexus");
    }

    [Fact]
    public void Doctor_PrimaryOnlyInTheAutoconfigDir_HealthyAfterGenerateAndFixWritesNoRecoveredFile()
    {
        Scenarios.CopyTo("flannel", AutoDir);

        var examined = Run("doctor", "--conf-dir", ConfDir, "--autoconfig-dir", AutoDir, "--bin-dir", _temp.Path, "--backup-dir", Backups);
        Assert.DoesNotContain(ConfDirChecks.NoPrimary, _out.ToString());
        Assert.Contains("not-generated", _out.ToString());
        _out.GetStringBuilder().Clear();

        Run("doctor", "--conf-dir", ConfDir, "--autoconfig-dir", AutoDir, "--bin-dir", _temp.Path, "--backup-dir", Backups, "--fix");

        Assert.Equal(1, examined); // the plugin binaries are not in the bin dir, and nothing else
        Assert.Contains("fixed: wrote", _out.ToString());
        Assert.DoesNotContain("not fixed", _out.ToString());
        Assert.Equal(["00-plexus.conflist"], Directory.GetFiles(ConfDir).Select(Path.GetFileName));
        Assert.Equal("cbr0", ClusterName());
    }

    [Fact]
    public void Doctor_AutoconfigFileSortingBeforePlexus_IsNotSaidToShadowIt()
    {
        File.WriteAllText(Path.Combine(AutoDir, "00-calico.conflist"), Calico);
        File.WriteAllText(Path.Combine(ConfDir, "00-calico.conflist"), Calico);

        Run("doctor", "--conf-dir", ConfDir, "--autoconfig-dir", AutoDir, "--bin-dir", _temp.Path, "--backup-dir", Backups);

        // Only the conf dir's copy is loaded by the runtime before Plexus's config.
        Assert.Single(_out.ToString().Split('\n'), line => line.Contains("shadows-plexus"));
    }

    [Fact]
    public void DoctorFix_ThickMultusConfigWhoseClusterNetworkIsElsewhere_LeftInPlaceWhenNothingCanReplaceIt()
    {
        File.WriteAllText(Path.Combine(ConfDir, "00-multus.conf"), ThickMultus);

        var code = Run("doctor", "--conf-dir", ConfDir, "--bin-dir", _temp.Path, "--backup-dir", Backups, "--fix");

        Assert.Equal(1, code);
        Assert.Contains("not fixed: no usable primary", _out.ToString());
        Assert.DoesNotContain("\nfixed:", "\n" + _out.ToString());
        Assert.Equal(ThickMultus, File.ReadAllText(Path.Combine(ConfDir, "00-multus.conf")));
        Assert.False(File.Exists(Output));
    }

    [Fact]
    public void DoctorFix_ThickMultusConfigWithTheAutoconfigDir_ReplacedByPlexusConfig()
    {
        File.WriteAllText(Path.Combine(ConfDir, "00-multus.conf"), ThickMultus);
        Scenarios.CopyTo("flannel", AutoDir);

        Run("doctor", "--conf-dir", ConfDir, "--autoconfig-dir", AutoDir, "--bin-dir", _temp.Path, "--backup-dir", Backups, "--fix");

        Assert.Contains("fixed: moved 00-multus.conf", _out.ToString());
        Assert.DoesNotContain("not fixed", _out.ToString());
        Assert.False(File.Exists(Path.Combine(ConfDir, "00-multus.conf")));
        Assert.Equal("cbr0", ClusterName());
    }

    private string Backups => Path.Combine(_temp.Path, "b");

    private ConfigGenerator Generator() =>
        new(new GeneratorOptions { ConfDir = ConfDir, AutoconfigDir = AutoDir }, new Backup.BackupStore(Backups, TimeProvider.System), new AgentLog(_log, TimeProvider.System));

    private string? ClusterName() => JsonNode.Parse(File.ReadAllBytes(Output))!["plugins"]![0]!["delegates"]![0]!["name"]?.GetValue<string>();

    private int Run(params string[] args) =>
        AgentCli.Dispatch(args, new CliContext(_out, _err, _ => null, TimeProvider.System, CancellationToken.None));
}
