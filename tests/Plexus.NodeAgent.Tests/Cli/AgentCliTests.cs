using System.Text.Json.Nodes;
using Plexus.NodeAgent.Cli;
using Plexus.NodeAgent.IO;

namespace Plexus.NodeAgent.Tests.Cli;

public sealed class AgentCliTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void ConfigGenerate_ScenarioDir_WritesConfigAndExitsZero()
    {
        var dir = _temp.Sub("net.d");
        Scenarios.CopyTo("flannel", dir);

        var code = Run("config", "generate", "--cni-conf-dir", dir, "--backup-dir", Path.Combine(_temp.Path, "b"), "--service-account-dir", _temp.Path);

        Assert.Equal(0, code);
        Assert.Contains("with primary 10-flannel.conflist", _out.ToString());
        var root = JsonNode.Parse(File.ReadAllBytes(Path.Combine(dir, "00-plexus.conflist")))!;
        Assert.Equal("cbr0", root["plugins"]![0]!["delegates"]![0]!["name"]!.GetValue<string>());
        Assert.Null(root["plugins"]![0]!["kubeconfig"]);
    }

    [Fact]
    public void ConfigGenerate_NoPrimary_ExitsOneWritesNothing()
    {
        var dir = _temp.Sub("net.d");
        File.WriteAllText(Path.Combine(dir, "00-multus.conf"), Scenarios.NestedMultus("{\"type\":\"calico\"}", 2));

        var code = Run("config", "generate", "--conf-dir", dir, "--backup-dir", Path.Combine(_temp.Path, "b"));

        Assert.Equal(1, code);
        Assert.Contains("no usable primary", _out.ToString());
        Assert.Equal(["00-multus.conf"], Directory.GetFiles(dir).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("config", "frobnicate")]
    [InlineData("frobnicate")]
    [InlineData("config", "generate", "--no-such-flag")]
    [InlineData("--multus-conf-file=auto", "--multus-unknown=1")]
    public void Run_UnknownCommandOrFlag_ExitsTwoWithClearError(params string[] args)
    {
        Assert.Equal(2, Run(args));
        Assert.Contains("plexus: ", _err.ToString());
    }

    [Theory]
    [InlineData("--network-name", "bad/name")]
    [InlineData("--multus-log-level", "bogus")]
    [InlineData("--kube-server", "notaurl")]
    [InlineData("--cni-version", "9.9.9")]
    public void ConfigGenerate_ValueEveryAddWouldRefuse_ExitsTwoNamingTheFlagWritesNothing(string flag, string value)
    {
        var dir = _temp.Sub("net.d");
        Scenarios.CopyTo("flannel", dir);

        Assert.Equal(2, Run("config", "generate", "--conf-dir", dir, flag, value, "--backup-dir", Path.Combine(_temp.Path, "b")));

        Assert.Contains($"\"{value}\"", _err.ToString());
        Assert.Contains(flag.Replace("multus-", "", StringComparison.Ordinal), _err.ToString());
        Assert.False(File.Exists(Path.Combine(dir, "00-plexus.conflist")));
    }

    [Fact]
    public void ConfigGenerate_ApiServerButNoTokenYet_ConfigNamesTheKubeconfigAndWarns()
    {
        var dir = _temp.Sub("net.d");
        Scenarios.CopyTo("flannel", dir);

        var code = Run("config", "generate", "--conf-dir", dir, "--backup-dir", Path.Combine(_temp.Path, "b"),
            "--service-account-dir", _temp.Sub("sa"), "--kube-server", "https://10.96.0.1:443");

        Assert.Equal(0, code);
        var root = JsonNode.Parse(File.ReadAllBytes(Path.Combine(dir, "00-plexus.conflist")))!;
        // The host's path: the runtime runs the plugin on the node, where the agent's view of the conf dir does not exist.
        Assert.Equal("/etc/cni/net.d/plexus.d/plexus.kubeconfig", root["plugins"]![0]!["kubeconfig"]!.GetValue<string>());
        Assert.Contains("no service-account token and ca.crt", _out.ToString() + _err.ToString());
    }

    [Fact]
    public void ConfigGenerate_EmptyMultusConfBeforeOurs_WritesButExitsOneNamingIt()
    {
        var dir = _temp.Sub("net.d");
        Scenarios.CopyTo("rke2-calico", dir);
        File.WriteAllText(Path.Combine(dir, "00-multus.conf"), "");

        var code = Run("config", "generate", "--conf-dir", dir, "--backup-dir", Path.Combine(_temp.Path, "b"));

        Assert.Equal(1, code);
        Assert.True(File.Exists(Path.Combine(dir, "00-plexus.conflist")));
        Assert.Contains($"{Path.Combine(dir, "00-multus.conf")} loads before 00-plexus.conflist but the runtime cannot load it (empty file)", _err.ToString());
    }

    [Fact]
    public void ConfigRestoreList_BackupDirMissing_ExitsOneSayingSo()
    {
        var missing = Path.Combine(_temp.Path, "nonexistent");

        Assert.Equal(1, Run("config", "restore", "--backup-dir", missing, "--list"));

        Assert.Contains($"backup dir {missing} does not exist", _err.ToString());
    }

    [Fact]
    public void ConfigRestoreList_NoBackups_SaysSoBesideAnEmptyList()
    {
        Assert.Equal(0, Run("config", "restore", "--backup-dir", _temp.Sub("b"), "--list"));

        Assert.Contains("no backups in", _err.ToString());
        Assert.Empty(_out.ToString());
    }

    [Fact]
    public void ConfigGenerate_BackupDirCannotBeCreated_ExitsOneNamingTheBackupDir()
    {
        var dir = _temp.Sub("net.d");
        Scenarios.CopyTo("cilium", dir);
        File.WriteAllText(Path.Combine(dir, "00-multus.conf"), Scenarios.NestedMultus("{\"type\":\"cilium-cni\"}", 3));

        Assert.Equal(1, Run("config", "generate", "--conf-dir", dir, "--backup-dir", "/proc/nope"));

        Assert.Contains("the backup dir /proc/nope (--backup-dir) must be writable directories", _out.ToString() + _err.ToString());
    }

    [Fact]
    public void ConfigGenerate_MissingConfDir_ExitsTwo()
    {
        Assert.Equal(2, Run("config", "generate", "--conf-dir", Path.Combine(_temp.Path, "missing")));
        Assert.Contains("does not exist", _err.ToString());
    }

    [Fact]
    public void ConfigRestore_AfterGenerate_RestoresAndListsBackup()
    {
        var dir = _temp.Sub("net.d");
        var backups = Path.Combine(_temp.Path, "b");
        Scenarios.CopyTo("cilium", dir);
        File.WriteAllText(Path.Combine(dir, "00-multus.conf"), Scenarios.NestedMultus("{\"type\":\"cilium-cni\"}", 3));
        Run("config", "generate", "--conf-dir", dir, "--backup-dir", backups);
        Assert.False(File.Exists(Path.Combine(dir, "00-multus.conf")));

        Assert.Equal(0, Run("config", "restore", "--backup-dir", backups));

        Assert.True(File.Exists(Path.Combine(dir, "00-multus.conf")));
        Assert.False(File.Exists(Path.Combine(dir, "00-plexus.conflist")));
    }

    [Fact]
    public void ConfigRestore_AnotherAgentHoldsTheConfDir_ExitsOneNamingItAndChangesNothing()
    {
        var dir = _temp.Sub("net.d");
        var backups = Path.Combine(_temp.Path, "b");
        Scenarios.CopyTo("cilium", dir);
        File.WriteAllText(Path.Combine(dir, "00-multus.conf"), Scenarios.NestedMultus("{\"type\":\"cilium-cni\"}", 3));
        Run("config", "generate", "--conf-dir", dir, "--backup-dir", backups);

        using (ConfDirLock.TryAcquire(dir, "config watch", TimeProvider.System, out _))
        {
            Assert.Equal(1, Run("config", "restore", "--backup-dir", backups));
        }

        Assert.Contains("config restore would fight it over the config", _err.ToString());
        Assert.False(File.Exists(Path.Combine(dir, "00-multus.conf")));
        Assert.True(File.Exists(Path.Combine(dir, "00-plexus.conflist")));
        Assert.Equal(0, Run("config", "restore", "--backup-dir", backups));
        Assert.True(File.Exists(Path.Combine(dir, "00-multus.conf")));
    }

    [Fact]
    public void Doctor_NestedMultusDir_ExitsOneThenFixRepairsWithBackup()
    {
        var dir = _temp.Sub("net.d");
        var backups = Path.Combine(_temp.Path, "b");
        Scenarios.CopyTo("kindnet", dir);
        File.WriteAllText(Path.Combine(dir, "00-multus.conf"), Scenarios.NestedMultus(File.ReadAllText(Path.Combine(dir, "10-kindnet.conflist")), 6));

        var before = Run("doctor", "--conf-dir", dir, "--backup-dir", backups, "--bin-dir", _temp.Path, "--json");
        var report = JsonNode.Parse(_out.ToString())!;
        _out.GetStringBuilder().Clear();
        var fixedCode = Run("doctor", "--conf-dir", dir, "--backup-dir", backups, "--bin-dir", _temp.Path, "--fix");

        Assert.Equal(1, before);
        Assert.False(report["healthy"]!.GetValue<bool>());
        Assert.Contains(report["findings"]!.AsArray(), f => f!["code"]!.GetValue<string>() == "self-delegation");
        // Still 1 after the fix: ptp/portmap/host-local are not in the empty bin dir; the config problems are gone.
        Assert.Equal(1, fixedCode);
        Assert.DoesNotContain("self-delegation", _out.ToString());
        Assert.Contains("missing-binary", _out.ToString());
        Assert.Contains("fixed: moved 00-multus.conf", _out.ToString());
        Assert.False(File.Exists(Path.Combine(dir, "00-multus.conf")));
        Assert.True(File.Exists(Path.Combine(dir, "00-plexus.conflist")));
        Assert.Single(Directory.GetDirectories(backups));
    }

    [Fact]
    public void Doctor_MissingConfDir_ExitsTwo()
    {
        Assert.Equal(2, Run("doctor", "--conf-dir", Path.Combine(_temp.Path, "missing")));
        Assert.Contains("cannot check", _err.ToString());
    }

    [Fact]
    public void Install_IntoDir_CopiesExecutable()
    {
        var bin = _temp.Sub("bin");
        var source = Path.Combine(_temp.Sub("src"), "plexus");
        File.Copy("/bin/true", source);

        Assert.Equal(0, Run("install", "--cni-bin-dir", bin, "--source", source));

        Assert.Equal(File.ReadAllBytes("/bin/true"), File.ReadAllBytes(Path.Combine(bin, "plexus")));
    }

    [Fact]
    public void Run_MultusThinEntrypointArgs_GenerateThenWaitForStop()
    {
        var dir = _temp.Sub("net.d");
        Scenarios.CopyTo("rke2-canal", dir);
        File.WriteAllText(Path.Combine(dir, "00-multus.conf"), Scenarios.NestedMultus("{\"type\":\"calico\"}", 2));
        using var stopped = new CancellationTokenSource();
        stopped.Cancel();

        var code = AgentCli.Dispatch(
        [
            "--multus-conf-file=auto", $"--multus-autoconfig-dir={dir}", $"--cni-conf-dir={dir}",
            "--multus-kubeconfig-file-host=/var/lib/rancher/rke2/agent/etc/cni/net.d/multus.d/multus.kubeconfig",
            "--skip-multus-binary-copy=true", "--skip-config-watch", "--multus-log-level=verbose",
            $"--backup-dir={Path.Combine(_temp.Path, "b")}",
        ], new CliContext(_out, _err, _ => null, TimeProvider.System, stopped.Token));

        Assert.Equal(0, code);
        var plugin = JsonNode.Parse(File.ReadAllBytes(Path.Combine(dir, "00-plexus.conflist")))!["plugins"]![0]!;
        Assert.Equal("/var/lib/rancher/rke2/agent/etc/cni/net.d/multus.d/multus.kubeconfig", plugin["kubeconfig"]!.GetValue<string>());
        Assert.Equal("verbose", plugin["logLevel"]!.GetValue<string>());
        Assert.Equal("k8s-pod-network", plugin["delegates"]![0]!["name"]!.GetValue<string>());
        Assert.False(File.Exists(Path.Combine(dir, "00-multus.conf")));
    }

    [Fact]
    public void ConfigGenerate_AnotherAgentHoldsTheConfDir_ExitsOneNamingItAndChangesNothing()
    {
        var dir = _temp.Sub("net.d");
        Scenarios.CopyTo("flannel", dir);
        var generate = new[] { "config", "generate", "--conf-dir", dir, "--backup-dir", Path.Combine(_temp.Path, "b") };

        using (ConfDirLock.TryAcquire(dir, "config watch", TimeProvider.System, out _))
        {
            Assert.Equal(1, Run(generate));
        }

        Assert.Contains($"pid {Environment.ProcessId}", _err.ToString());
        Assert.Contains("config watch", _err.ToString());
        Assert.Contains("config generate would fight it over the config", _err.ToString());
        Assert.False(File.Exists(Path.Combine(dir, "00-plexus.conflist")));
        Assert.False(Directory.Exists(Path.Combine(_temp.Path, "b")));
        Assert.Equal(0, Run(generate));
        Assert.True(File.Exists(Path.Combine(dir, "00-plexus.conflist")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_SkipConfigWatchWithoutAPrimary_ExitsOneAtOnceWithoutWaitingForASignal(bool primaryButNoIndicator)
    {
        var dir = _temp.Sub("net.d");
        File.WriteAllText(Path.Combine(dir, "00-multus.conf"), Scenarios.NestedMultus("{\"type\":\"calico\"}", 2));
        if (primaryButNoIndicator)
        {
            Scenarios.CopyTo("flannel", dir);
        }
        // Never cancelled while the command runs: an exit that waited for a signal fails the bounded wait below.
        using var neverStopped = new CancellationTokenSource();
        string[] args =
        [
            "--multus-conf-file=auto", $"--cni-conf-dir={dir}", "--skip-multus-binary-copy=true", "--skip-config-watch",
            "--cleanup-config-on-exit", $"--backup-dir={Path.Combine(_temp.Path, "b")}",
            .. primaryButNoIndicator ? [$"--readiness-indicator-file={Path.Combine(_temp.Path, "flannel", "subnet.env")}"] : Array.Empty<string>(),
        ];
        var run = Task.Run(() => AgentCli.Dispatch(args, new CliContext(_out, _err, _ => null, TimeProvider.System, neverStopped.Token)));

        try
        {
            Assert.Equal(1, await run.WaitAsync(Eventually.Limit));
        }
        finally
        {
            await neverStopped.CancelAsync();
        }
        Assert.Contains(primaryButNoIndicator ? "readiness indicator file" : "no usable primary", _err.ToString());
        Assert.Contains("nothing would write the config later", _err.ToString());
        Assert.False(File.Exists(Path.Combine(dir, "00-plexus.conflist")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_SkipConfigWatchWithCleanup_RemovesTheConfigOnStopUnlessAnotherAgentHasTakenOver(bool anotherAgent)
    {
        var dir = _temp.Sub("net.d");
        Scenarios.CopyTo("flannel", dir);
        var config = Path.Combine(dir, "00-plexus.conflist");
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => AgentCli.Dispatch(
            [$"--cni-conf-dir={dir}", "--skip-multus-binary-copy=true", "--skip-config-watch", "--cleanup-config-on-exit", $"--backup-dir={Path.Combine(_temp.Path, "b")}"],
            new CliContext(_out, _err, _ => null, TimeProvider.System, stop.Token)));
        Eventually.True(() => File.Exists(config), "config written by the one pass");
        // The one pass has released the lock once the config is there; wait until it is free before taking it.
        ConfDirLock? other = null;
        if (anotherAgent)
        {
            Eventually.True(() => (other = ConfDirLock.TryAcquire(dir, "config watch", TimeProvider.System, out _)) is not null, "lock free after the pass");
        }

        await stop.CancelAsync();
        var code = await run.WaitAsync(Eventually.Limit);
        other?.Dispose();

        Assert.Equal(0, code);
        Assert.Equal(anotherAgent, File.Exists(config));
        Assert.Equal(anotherAgent, _err.ToString().Contains("in place on exit: another Plexus agent keeps it current", StringComparison.Ordinal));
    }

    [Fact]
    public void Version_PrintsSpecVersions()
    {
        Assert.Equal(0, Run("version"));
        Assert.Contains("1.1.0", _out.ToString());
    }

    private int Run(params string[] args) =>
        AgentCli.Dispatch(args, new CliContext(_out, _err, _ => null, TimeProvider.System, CancellationToken.None));
}
