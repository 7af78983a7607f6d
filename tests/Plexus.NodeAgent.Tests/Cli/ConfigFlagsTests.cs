using Plexus.NodeAgent.Cli;

namespace Plexus.NodeAgent.Tests.Cli;

public sealed class ConfigFlagsTests
{
    // kube-multus-ds (multus-cni v4 deployments/multus-daemonset.yml) as patched for k3s.
    private static readonly string[] ThinDaemonSet =
    [
        "--multus-conf-file=auto",
        "--multus-autoconfig-dir=/host/etc/cni/net.d",
        "--cni-conf-dir=/host/etc/cni/net.d",
        "--multus-kubeconfig-file-host=/var/lib/rancher/k3s/agent/etc/cni/net.d/multus.d/multus.kubeconfig",
    ];

    // The entrypoint arg list of OpenShift's multus DaemonSet (as shown by ps on a node).
    private static readonly string[] OpenShiftDaemonSet =
    [
        "--multus-conf-file=auto", "--multus-autoconfig-dir=/host/var/run/multus/cni/net.d",
        "--multus-kubeconfig-file-host=/etc/kubernetes/cni/net.d/multus.d/multus.kubeconfig",
        "--readiness-indicator-file=/var/run/multus/cni/net.d/80-openshift-network.conf",
        "--cleanup-config-on-exit=true", "--namespace-isolation=true", "--multus-log-level=verbose",
        "--cni-version=0.3.1", "--additional-bin-dir=/opt/multus/bin", "--skip-multus-binary-copy=true",
        "--global-namespaces=default,openshift-multus,openshift-sriov-network-operator",
    ];

    [Fact]
    public void Parse_ThinMultusDaemonSetArgs_MapToPlexusOptions()
    {
        var flags = FlagParser.Parse(ThinDaemonSet, ConfigFlags.All);
        var (options, error) = ConfigFlags.Generator(flags);

        Assert.Null(flags.Error);
        Assert.Null(error);
        Assert.Equal("/host/etc/cni/net.d", options!.ConfDir);
        Assert.Equal("/host/etc/cni/net.d", options.AutoconfigDir);
        Assert.Equal("/var/lib/rancher/k3s/agent/etc/cni/net.d/multus.d/multus.kubeconfig", flags.Get("kubeconfig-path"));
    }

    [Fact]
    public void Generator_RelativePaths_MadeAbsoluteForThePluginWhichRunsElsewhere()
    {
        var flags = FlagParser.Parse(
            ["--conf-dir=net.d", "--kubeconfig-path=k/kc", "--log-file=logs/p.log", "--readiness-indicator-file=ready", "--cni-cache-dir=cache", "--net-conf-dir=nads"],
            ConfigFlags.All);

        var s = ConfigFlags.Generator(flags).Options!.Settings;

        var cwd = Directory.GetCurrentDirectory();
        Assert.Equal(
            new[] { Path.Combine(cwd, "k/kc"), Path.Combine(cwd, "logs/p.log"), Path.Combine(cwd, "ready"), Path.Combine(cwd, "cache"), Path.Combine(cwd, "nads") },
            new[] { s.Kubeconfig, s.LogFile, s.ReadinessIndicatorFile, s.CniCacheDir, s.NetConfDir });
        // Written through the conf dir: the given path is the one the node sees, in a dir "k" of its conf dir.
        Assert.Equal(Path.Combine(cwd, "net.d/k/kc"), ConfigFlags.Agent(flags, _ => null).Kubeconfig!.OutputPath);
    }

    [Fact]
    public void Parse_OpenShiftMultusArgs_MapToPlexusOptions()
    {
        var flags = FlagParser.Parse(OpenShiftDaemonSet, ConfigFlags.All);
        var (options, error) = ConfigFlags.Generator(flags);

        Assert.Null(flags.Error);
        Assert.Null(error);
        var s = options!.Settings;
        Assert.Equal("/host/var/run/multus/cni/net.d", options.AutoconfigDir);
        Assert.Equal(ConfigFlags.DefaultConfDir, options.ConfDir);
        Assert.Equal("/var/run/multus/cni/net.d/80-openshift-network.conf", s.ReadinessIndicatorFile);
        Assert.True(flags.IsOn("cleanup-config-on-exit"));
        Assert.True(s.NamespaceIsolation);
        Assert.Equal("verbose", s.LogLevel);
        Assert.Equal("0.3.1", s.CniVersion);
        Assert.Equal("/opt/multus/bin", s.BinDir);
        Assert.True(flags.IsOn("skip-multus-binary-copy"));
        Assert.Equal("default,openshift-multus,openshift-sriov-network-operator", s.GlobalNamespaces);
    }

    [Fact]
    public void Parse_SeparateValuesSingleDashAndBareBools_AreAccepted()
    {
        var flags = FlagParser.Parse(["-cni-conf-dir", "/a", "--namespace-isolation", "--mode", "thick", "--force-cni-version=false"], ConfigFlags.All);
        var (options, _) = ConfigFlags.Generator(flags);

        Assert.Null(flags.Error);
        Assert.Equal("/a", options!.ConfDir);
        Assert.True(options.Settings.NamespaceIsolation);
        Assert.False(options.Settings.ForceCniVersion);
        Assert.Equal("plexus-shim", options.Settings.PluginType);
    }

    [Theory]
    [InlineData(new[] { "--multus-no-such-flag=1" }, "unknown flag --multus-no-such-flag")]
    [InlineData(new[] { "--cni-conf-dir" }, "flag --cni-conf-dir needs a value")]
    [InlineData(new[] { "--namespace-isolation=maybe" }, "takes true or false")]
    [InlineData(new[] { "stray" }, "unexpected argument \"stray\"")]
    public void Parse_BadArgs_ErrorNamesTheFlag(string[] args, string error) =>
        Assert.Contains(error, FlagParser.Parse(args, ConfigFlags.All).Error);

    [Theory]
    [InlineData("--multus-conf-file=/tmp/my.conf", "only \"auto\"")]
    [InlineData("--mode=thicker", "--mode must be thin or thick")]
    [InlineData("--config-file-name=00-plexus.conf", "must end in .conflist")]
    [InlineData("--network-name=bad/name", "--network-name \"bad/name\": a network name must match")]
    [InlineData("--log-level=bogus", "--log-level (--multus-log-level) \"bogus\": must be one of panic, error, verbose, debug")]
    [InlineData("--multus-log-level=bogus", "--log-level (--multus-log-level) \"bogus\"")]
    [InlineData("--kube-server=notaurl", "--kube-server \"notaurl\": must be the API server's URL")]
    [InlineData("--kube-server=ftp://10.0.0.1", "--kube-server \"ftp://10.0.0.1\"")]
    [InlineData("--cni-version=9.9.9", "--cni-version \"9.9.9\": not a CNI version Plexus supports (0.1.0,")]
    public void Generator_BadValues_AreUsageErrors(string arg, string error) =>
        Assert.Contains(error, ConfigFlags.Generator(FlagParser.Parse([arg], ConfigFlags.All)).Error);

    /// <summary>The Multus thin-entrypoint flags no DaemonSet sample above carries, each read under its Plexus name.</summary>
    [Theory]
    [InlineData("--multus-master-cni-file-name=10-calico.conflist", "primary-conf-file", "10-calico.conflist")]
    [InlineData("--multus-log-file=/var/log/multus.log", "log-file", "/var/log/multus.log")]
    [InlineData("--multus-log-to-stderr=false", "log-to-stderr", "false")]
    [InlineData("--override-network-name=true", "override-network-name", "true")]
    [InlineData("--rename-conf-file=true", "rename-conf-file", "true")]
    [InlineData("--multus-bin-file=/usr/src/multus-cni/bin/multus", "multus-bin-file", "/usr/src/multus-cni/bin/multus")]
    [InlineData("--cni-bin-dir=/host/opt/cni/bin", "install-dir", "/host/opt/cni/bin")]
    public void Parse_MultusEntrypointFlag_ReadUnderPlexusName(string flag, string name, string value)
    {
        var flags = FlagParser.Parse([flag], ConfigFlags.All);

        Assert.Null(flags.Error);
        Assert.Equal(value, flags.Get(name));
    }

    [Fact]
    public void Generator_MultusEntrypointFlags_ReachTheGeneratedSettings()
    {
        var flags = FlagParser.Parse(
            ["--multus-master-cni-file-name=10-calico.conflist", "--multus-log-file=/var/log/multus.log", "--multus-log-to-stderr=false", "--override-network-name=true"],
            ConfigFlags.All);

        var options = ConfigFlags.Generator(flags).Options!;

        Assert.Equal("10-calico.conflist", options.PrimaryFileName);
        Assert.Equal(("/var/log/multus.log", (bool?)false, true), (options.Settings.LogFile, options.Settings.LogToStderr, options.Settings.OverrideNetworkName));
    }
}
