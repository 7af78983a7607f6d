using System.Text.Json.Nodes;
using Plexus.NodeAgent.Cli;
using Plexus.NodeAgent.Generation;
using Plexus.NodeAgent.IO;
using Plexus.NodeAgent.Tests.Watch;

namespace Plexus.NodeAgent.Tests.Cli;

/// <summary>
/// The kubeconfig the generated config names is a host path, and it is the very file the agent writes and keeps fresh
/// (through the host's conf dir mounted at <c>--conf-dir</c>): for <c>config generate</c> and for <c>doctor --fix</c>.
/// </summary>
public sealed class KubeconfigPathTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();
    private readonly ProjectedVolume _serviceAccount;

    public KubeconfigPathTests()
    {
        // The agent container's view of the node: the host's /etc/cni/net.d is mounted at <temp>/host/etc/cni/net.d.
        Directory.CreateDirectory(ConfDir);
        Scenarios.CopyTo("flannel", ConfDir);
        _serviceAccount = new ProjectedVolume(_temp.Sub("sa"));
        _serviceAccount.Publish("token-1");
    }

    public void Dispose() => _temp.Dispose();

    private string ConfDir => Path.Combine(_temp.Path, "host/etc/cni/net.d");

    private string Config => Path.Combine(ConfDir, "00-plexus.conflist");

    private string[] Common => ["--backup-dir", Path.Combine(_temp.Path, "b"), "--service-account-dir", _serviceAccount.Dir];

    [Fact]
    public void Entrypoint_InCluster_ConfigNamesTheHostPathOfTheFileTheAgentWrites()
    {
        var code = RunInCluster(["--multus-conf-file=auto", $"--cni-conf-dir={ConfDir}", $"--multus-autoconfig-dir={ConfDir}",
            "--skip-multus-binary-copy", "--skip-config-watch", .. Common], stopped: true);

        Assert.Equal(0, code);
        Assert.Equal("/etc/cni/net.d/plexus.d/plexus.kubeconfig", KubeconfigInConfig());
        Assert.Contains("token-1", File.ReadAllText(Path.Combine(ConfDir, "plexus.d/plexus.kubeconfig")));
    }

    [Theory]
    [InlineData("--multus-kubeconfig-file-host=/etc/cni/net.d/multus.d/multus.kubeconfig", "multus.d/multus.kubeconfig")]
    [InlineData("--kubeconfig-path=/var/lib/rancher/rke2/agent/etc/cni/net.d/multus.d/multus.kubeconfig", "multus.d/multus.kubeconfig")]
    [InlineData("--kubeconfig-path=/etc/cni/net.d/plexus.d/custom.kubeconfig", "plexus.d/custom.kubeconfig")]
    public void Generate_HostPathGiven_TheAgentRefreshesThatFileNotAnotherOne(string flag, string underConfDir)
    {
        var hostPath = flag[(flag.IndexOf('=') + 1)..];

        Assert.Equal(0, RunInCluster(["config", "generate", "--conf-dir", ConfDir, flag, .. Common]));

        Assert.Equal(hostPath, KubeconfigInConfig());
        Assert.Contains("token-1", File.ReadAllText(Path.Combine(ConfDir, underConfDir)));
        // No second kubeconfig that nothing reads (and whose token would be the only one kept fresh).
        Assert.Equal([underConfDir], KubeconfigsWritten());
    }

    [Fact]
    public void Generate_BothPathsGiven_WritesWhereToldAndNamesTheHostPath()
    {
        var written = Path.Combine(_temp.Path, "host/var/lib/plexus/kc");

        Assert.Equal(0, RunInCluster(["config", "generate", "--conf-dir", ConfDir, "--kubeconfig-path=/var/lib/plexus/kc", "--kubeconfig-file", written, .. Common]));

        Assert.Equal("/var/lib/plexus/kc", KubeconfigInConfig());
        Assert.Contains("token-1", File.ReadAllText(written));
    }

    [Fact]
    public void Generate_KubeconfigFileWithoutItsHostPath_UsageErrorNothingWritten()
    {
        var code = RunInCluster(["config", "generate", "--conf-dir", ConfDir, "--kubeconfig-file", Path.Combine(ConfDir, "k/kc"), .. Common]);

        Assert.Equal(2, code);
        Assert.Contains("--kubeconfig-file", _err.ToString());
        Assert.Contains("--kubeconfig-path", _err.ToString());
        Assert.False(File.Exists(Config));
        Assert.False(Directory.Exists(Path.Combine(ConfDir, "k")));
    }

    [Fact]
    public void Generate_NoApiServer_NoKubeconfigKeyAndNothingWritten()
    {
        Assert.Equal(0, Run(_ => null, ["config", "generate", "--conf-dir", ConfDir, .. Common]));

        Assert.Null(KubeconfigInConfig());
        Assert.Empty(KubeconfigsWritten());
    }

    [Fact]
    public void DoctorFix_TruncatedConfigInCluster_RegeneratedNamingTheKubeconfigItWrites()
    {
        Assert.Equal(0, RunInCluster(["config", "generate", "--conf-dir", ConfDir, .. Common]));
        var generated = File.ReadAllBytes(Config);
        File.WriteAllBytes(Config, []);
        File.Delete(Path.Combine(ConfDir, "plexus.d/plexus.kubeconfig"));

        RunInCluster(["doctor", "--conf-dir", ConfDir, "--fix", "--bin-dir", _temp.Path, .. Common]);

        Assert.Contains("fixed: wrote", _out.ToString());
        Assert.Equal(generated, File.ReadAllBytes(Config));
        Assert.Equal("/etc/cni/net.d/plexus.d/plexus.kubeconfig", KubeconfigInConfig());
        Assert.Contains("token-1", File.ReadAllText(Path.Combine(ConfDir, "plexus.d/plexus.kubeconfig")));
    }

    [Fact]
    public void DoctorFix_BeforeAnyPlexusConfigInCluster_ConfigNamesTheKubeconfig()
    {
        File.WriteAllText(Path.Combine(ConfDir, "00-multus.conf"), Scenarios.SelfNestedMultus(Scenarios.Flannel, 3));

        RunInCluster(["doctor", "--conf-dir", ConfDir, "--fix", "--bin-dir", _temp.Path, .. Common]);

        Assert.Contains("fixed: moved 00-multus.conf", _out.ToString());
        Assert.Equal("/etc/cni/net.d/plexus.d/plexus.kubeconfig", KubeconfigInConfig());
        Assert.Contains("token-1", File.ReadAllText(Path.Combine(ConfDir, "plexus.d/plexus.kubeconfig")));
    }

    [Fact]
    public void DoctorFix_ExistingConfigNamesMultusKubeconfig_KeepsItAndRefreshesThatFile()
    {
        Assert.Equal(0, RunInCluster(["config", "generate", "--conf-dir", ConfDir,
            "--multus-kubeconfig-file-host=/etc/cni/net.d/multus.d/multus.kubeconfig", .. Common]));
        var primary = Path.Combine(ConfDir, "10-flannel.conflist");
        File.WriteAllText(primary, File.ReadAllText(primary).Replace("\"hairpinMode\": true", "\"hairpinMode\": false"));
        _serviceAccount.Publish("token-2");

        RunInCluster(["doctor", "--conf-dir", ConfDir, "--fix", "--bin-dir", _temp.Path, .. Common]);

        Assert.Equal("/etc/cni/net.d/multus.d/multus.kubeconfig", KubeconfigInConfig());
        Assert.Contains("token-2", File.ReadAllText(Path.Combine(ConfDir, "multus.d/multus.kubeconfig")));
        Assert.Equal(["multus.d/multus.kubeconfig"], KubeconfigsWritten());
    }

    [Fact]
    public void DoctorFix_NoApiServerNoExistingConfig_NoKubeconfigKey()
    {
        Run(_ => null, ["doctor", "--conf-dir", ConfDir, "--fix", "--bin-dir", _temp.Path, .. Common]);

        Assert.True(File.Exists(Config), _out.ToString());
        Assert.Null(KubeconfigInConfig());
    }

    // The agent lock and the config's origin record beside the default kubeconfig are not ones.
    private IEnumerable<string> KubeconfigsWritten() =>
        Directory.GetDirectories(ConfDir).SelectMany(Directory.GetFiles)
            .Where(f => f != ConfDirLock.PathOf(ConfDir) && f != ConfigOrigin.PathIn(ConfDir)).Select(f => Path.GetRelativePath(ConfDir, f));

    private string? KubeconfigInConfig() =>
        JsonNode.Parse(File.ReadAllBytes(Config))!["plugins"]![0]!["kubeconfig"]?.GetValue<string>();

    private int RunInCluster(string[] args, bool stopped = false) =>
        Run(name => name switch { "KUBERNETES_SERVICE_HOST" => "10.96.0.1", "KUBERNETES_SERVICE_PORT" => "443", _ => null }, args, stopped);

    private int Run(Func<string, string?> environment, string[] args, bool stopped = false)
    {
        using var stop = new CancellationTokenSource();
        if (stopped)
        {
            stop.Cancel();
        }
        return AgentCli.Dispatch(args, new CliContext(_out, _err, environment, TimeProvider.System, stop.Token));
    }
}
