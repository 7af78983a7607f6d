using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Plexus.NodeAgent.Backup;
using Plexus.NodeAgent.Doctor;
using Plexus.NodeAgent.Generation;
using Plexus.NodeAgent.Kubeconfig;
using Plexus.NodeAgent.Rendering;
using Plexus.NodeAgent.Watch;

namespace Plexus.NodeAgent.Tests.Watch;

public sealed class ConfigWatcherTests : IDisposable
{
    private const string Calico = "{\"name\":\"k8s-pod-network\",\"cniVersion\":\"0.3.1\",\"plugins\":[{\"type\":\"calico\"},{\"type\":\"portmap\",\"capabilities\":{\"portMappings\":true}}]}";
    private const string Cilium = "{\"name\":\"cilium\",\"cniVersion\":\"0.3.1\",\"plugins\":[{\"type\":\"cilium-cni\"}]}";

    private readonly AgentHarness _agent = new();
    private readonly ConcurrentQueue<WatchPass> _passes = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _run;

    public void Dispose()
    {
        _stop.Cancel();
        _run?.Wait(Eventually.Limit);
        _stop.Dispose();
        _agent.Dispose();
    }

    [Fact]
    public void Watch_PrimaryRemovedThenBack_RemovesAndRestoresConfig()
    {
        var primary = _agent.Write("10-calico.conflist", Calico);
        Start();
        Eventually.True(() => ClusterName() == "k8s-pod-network", "config written at start");

        File.Delete(primary);
        Eventually.True(() => !File.Exists(_agent.OutputPath), "config removed after the primary vanished");

        _agent.Write("10-calico.conflist", Calico);
        Eventually.True(() => ClusterName() == "k8s-pod-network", "config restored when the primary returned");
    }

    [Fact]
    public void Watch_PrimaryReplacedByAnother_ConfigFollows()
    {
        var primary = _agent.Write("10-calico.conflist", Calico);
        Start();
        Eventually.True(() => ClusterName() == "k8s-pod-network", "config written at start");

        _agent.Write("05-cilium.conflist", Cilium);
        File.Delete(primary);

        Eventually.True(() => ClusterName() == "cilium", "config follows the new primary");
    }

    [Fact]
    public void Watch_PrimaryMadeInvalid_ConfigKeptAsItWasUntilFixed()
    {
        var primary = _agent.Write("10-calico.conflist", Calico);
        Start();
        Eventually.True(() => File.Exists(_agent.OutputPath), "config written at start");
        var bytes = File.ReadAllBytes(_agent.OutputPath);

        // As flannel's cp -f leaves it for a moment: taken for a primary being rewritten, reported as an error.
        File.WriteAllText(primary, "{\"name\":\"k8s-pod-network\",\"plugins\":[");
        Eventually.True(() => _agent.LogText.ToString().Contains($"error: primary {primary} does not load"), "the pass says why it waits");
        Assert.Equal(bytes, File.ReadAllBytes(_agent.OutputPath));

        File.WriteAllText(primary, Cilium);
        Eventually.True(() => ClusterName() == "cilium", "config follows once the primary is valid");
    }

    [Fact]
    public void Watch_NoPrimaryAtStart_WritesWhenOneAppearsAndNeverWritesMeta()
    {
        _agent.Write("00-multus.conf", Scenarios.NestedMultus(Calico, 3));
        Start();
        Eventually.True(() => _agent.LogText.ToString().Contains("no usable primary"), "says why it waits");
        Assert.False(File.Exists(_agent.OutputPath));

        _agent.Write("10-calico.conflist", Calico);

        Eventually.True(() => ClusterName() == "k8s-pod-network", "config written once a primary appears");
        // Moved right after Plexus's config is written, never before.
        Eventually.True(() => !File.Exists(Path.Combine(_agent.ConfDir, "00-multus.conf")), "the shadowing meta config moved");
    }

    [Fact]
    public void Watch_BrokenFileAppears_LogsAndReportsTheDoctorFinding()
    {
        _agent.Write("10-calico.conflist", Calico);
        Start();
        Eventually.True(() => File.Exists(_agent.OutputPath), "config written at start");

        _agent.Write("20-empty.conf", "");

        Eventually.True(() => _agent.LogText.ToString().Contains($"doctor: empty-file {Path.Combine(_agent.ConfDir, "20-empty.conf")}: "), "finding logged");
        Eventually.True(() => _passes.Any(p => p.Findings.Any(f => f.Code == "empty-file" && f.File == "20-empty.conf")), "finding reported");
        Assert.Equal("k8s-pod-network", ClusterName());
    }

    [Theory]
    [InlineData("00-empty.conf", "", "remove it, or run `plexus doctor --fix`")] // containerd stops at it
    [InlineData("00-multus.conf", null, "moved ")] // a meta-plugin config the runtime would use instead of Plexus's
    public void Watch_FileBeforePlexusConfigAppears_NamedOnceInTheLogAndStillAFinding(string name, string? content, string whatToDo)
    {
        _agent.Write("10-calico.conflist", Calico);
        StartSettled();
        var before = _agent.LogText.ToString().Length;

        // Moved in whole: a pass between creating and writing it would see another file (an empty one).
        File.Move(_agent.Temp.File("staged/" + name, content ?? Scenarios.NestedMultus(Calico, 2)), Path.Combine(_agent.ConfDir, name));

        // The daemon counts the finding from the pass; the pass's own log line says it all.
        Eventually.True(() => _passes.Any(p => p.Findings.Any(f => f.Code == ConfDirChecks.ShadowsPlexus && f.File == name)), "the pass found it");
        var lines = _agent.LogText.ToString()[before..].Split('\n').Where(line => line.Contains(name, StringComparison.Ordinal)).ToList();
        Assert.True(lines.Count == 1, $"{name} named {lines.Count} times:\n{string.Join("\n", lines)}");
        Assert.Contains(whatToDo, lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Watch_AutoconfigFileNamedAsABlockingConfDirFile_ItsFindingLoggedOnce()
    {
        // Upstream Multus's empty 00-multus.conf in both dirs: the conf dir's blocks the runtime and is the pass's
        // error; the autoconfig dir's is another file, which only the doctor reports.
        var autoconfig = _agent.Temp.Sub("auto");
        File.WriteAllText(Path.Combine(autoconfig, "10-calico.conflist"), Calico);
        var autoconfigFile = Path.Combine(autoconfig, "00-multus.conf");
        File.WriteAllText(autoconfigFile, "");
        var confDirFile = _agent.Write("00-multus.conf", "");
        Start(new ConfigGenerator(_agent.Generator.Options with { AutoconfigDir = autoconfig }, _agent.Backup, _agent.Log));
        Eventually.True(() => _passes.Any(p => p.Outcome.Blocking.Any(f => f.Path == confDirFile)), "the pass reported the conf dir's file");
        SettledAfter(0);

        var log = _agent.LogText.ToString().Split('\n');
        var autoconfigLines = log.Where(line => line.Contains($"doctor: empty-file {autoconfigFile}: ", StringComparison.Ordinal)).ToList();
        Assert.True(autoconfigLines.Count == 1, $"{autoconfigFile} logged as a finding {autoconfigLines.Count} times:\n{string.Join("\n", log)}");
        Assert.DoesNotContain(log, line => line.Contains($"doctor: ", StringComparison.Ordinal) && line.Contains(confDirFile, StringComparison.Ordinal));
        Assert.Single(log, line => line.Contains(confDirFile, StringComparison.Ordinal));
    }

    [Fact]
    public void Watch_PrimaryChanged_ConfigFollowsWithoutAStaleConfigFinding()
    {
        var primary = _agent.Write("10-calico.conflist", Calico);
        Start();
        Eventually.True(() => ClusterName() == "k8s-pod-network", "config written at start");

        File.WriteAllText(primary, Calico.Replace("\"calico\"", "\"calico\",\"mtu\":1400", StringComparison.Ordinal));

        // The pass that follows the change starts from Plexus's now stale config and rewrites it: nothing to report.
        Eventually.True(() => _passes.Any(p => p.Outcome.Status == GenerateStatus.Written && ClusterMtu() == 1400), "config follows the change");
        Assert.DoesNotContain(_passes.SelectMany(p => p.Findings), f => f.Code == ConfDirChecks.StaleConfig);
        Assert.DoesNotContain("stale-config", _agent.LogText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_StoppedWithCleanup_RemovesGeneratedConfig()
    {
        _agent.Write("10-calico.conflist", Calico);
        Start(cleanup: true);
        Eventually.True(() => File.Exists(_agent.OutputPath), "config written at start");

        await _stop.CancelAsync();
        await _run!.WaitAsync(Eventually.Limit);

        Assert.False(File.Exists(_agent.OutputPath));
        Assert.True(File.Exists(Path.Combine(_agent.ConfDir, "10-calico.conflist")));
    }

    [Fact]
    public void Watch_TokenRotated_KubeconfigRewritten()
    {
        _agent.Write("10-calico.conflist", Calico);
        var sa = new ProjectedVolume(_agent.Temp.Sub("serviceaccount"));
        sa.Publish("token-one");
        var kubeconfigPath = Path.Combine(_agent.ConfDir, "plexus.d", "plexus.kubeconfig");
        var refresher = new KubeconfigRefresher(new KubeconfigOptions
        {
            OutputPath = kubeconfigPath,
            ServiceAccountDir = sa.Dir,
            Server = "https://10.43.0.1:443",
        }, _agent.Log);
        Start(kubeconfig: refresher);
        Eventually.True(() => File.Exists(kubeconfigPath) && File.ReadAllText(kubeconfigPath).Contains("token-one"), "kubeconfig written");

        sa.Publish("token-two");

        Eventually.True(() => File.ReadAllText(kubeconfigPath).Contains("token-two"), "kubeconfig follows the rotated token");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(kubeconfigPath));
        Assert.DoesNotContain("token-two", _agent.LogText.ToString());
    }

    [Fact]
    public void Watch_CaNotACertificate_KeepsRunningAndWritesKubeconfigOnceItIs()
    {
        _agent.Write("10-calico.conflist", Calico);
        var sa = new ProjectedVolume(_agent.Temp.Sub("serviceaccount"));
        sa.Publish("token-one", "not a certificate");
        var kubeconfigPath = Path.Combine(_agent.ConfDir, "plexus.d", "plexus.kubeconfig");
        var refresher = new KubeconfigRefresher(new KubeconfigOptions { OutputPath = kubeconfigPath, ServiceAccountDir = sa.Dir, Server = "https://10.43.0.1:443" }, _agent.Log);
        Start(kubeconfig: refresher);
        Eventually.True(() => _agent.LogText.ToString().Contains("holds no PEM certificate", StringComparison.Ordinal), "garbage CA reported");
        Assert.False(File.Exists(kubeconfigPath));

        sa.Publish("token-one");

        Eventually.True(() => File.Exists(kubeconfigPath), "kubeconfig written once the CA is a certificate");
        Assert.False(_run!.IsCompleted);
    }

    [Fact]
    public void Watch_IndicatorDirCreatedAfterStart_ConfigWrittenOnceTheIndicatorAppears()
    {
        // Two levels missing, created at once (mkdir -p), as /run/flannel appears after the agent starts at boot.
        var indicatorDir = Path.Combine(_agent.Temp.Path, "run", "flannel");
        var indicator = Path.Combine(indicatorDir, "subnet.env");
        _agent.Write("10-calico.conflist", Calico);
        Start(WithSettings(new ConfigSettings { ReadinessIndicatorFile = indicator }));
        Eventually.True(() => _passes.Any(p => p.Outcome.Status == GenerateStatus.NoPrimary), "no config while the indicator is missing");

        Directory.CreateDirectory(indicatorDir);
        File.WriteAllText(indicator, "FLANNEL_MTU=1450\n");

        Eventually.True(() => ClusterName() == "k8s-pod-network", "config written once the indicator exists");
        Assert.DoesNotContain("cannot watch", _agent.LogText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Watch_IndicatorDirDeletedAndRecreated_ConfigFollowsTheNewDir()
    {
        var indicatorDir = _agent.Temp.Sub("flannel");
        var indicator = Path.Combine(indicatorDir, "subnet.env");
        File.WriteAllText(indicator, "FLANNEL_MTU=1450\n");
        _agent.Write("10-calico.conflist", Calico);
        Start(WithSettings(new ConfigSettings { ReadinessIndicatorFile = indicator }));
        Eventually.True(() => ClusterName() == "k8s-pod-network", "config written at start");

        var before = _passes.Count;
        Directory.Delete(indicatorDir, recursive: true);
        SettledAfter(before);
        // Moved in whole: one event, one pass. Without the indicator the config stays as it was, and takes no new primary.
        File.Move(_agent.Temp.File("staged/05-cilium.conflist", Cilium), Path.Combine(_agent.ConfDir, "05-cilium.conflist"));
        Eventually.True(() => _passes.Any(p => p.Outcome.Selection?.Primary?.Name == "05-cilium.conflist"), "the new primary seen");
        Assert.Equal("k8s-pod-network", ClusterName());
        Directory.CreateDirectory(indicatorDir);
        File.WriteAllText(indicator, "FLANNEL_MTU=1450\n");

        Eventually.True(() => ClusterName() == "cilium", "config follows the new primary once the recreated dir has the indicator");
    }

    [Fact]
    public void Watch_IndicatorDirPathIsAFileAtStart_ConfigWrittenOnceItIsADirWithTheIndicator()
    {
        var indicatorDir = Path.Combine(_agent.Temp.Path, "flannel");
        File.WriteAllText(indicatorDir, "a file where the dir should be");
        var indicator = Path.Combine(indicatorDir, "subnet.env");
        _agent.Write("10-calico.conflist", Calico);
        Start(WithSettings(new ConfigSettings { ReadinessIndicatorFile = indicator }));
        Eventually.True(() => _passes.Any(p => p.Outcome.Status == GenerateStatus.NoPrimary), "no config while the indicator is missing");

        File.Delete(indicatorDir);
        Directory.CreateDirectory(indicatorDir);
        File.WriteAllText(indicator, "FLANNEL_MTU=1450\n");

        Eventually.True(() => ClusterName() == "k8s-pod-network", "config written once the indicator exists");
    }

    [Fact]
    public void Watch_AutoconfigDirMissingAtStartThenDeletedAndRecreated_ConfigFollowsEachTime()
    {
        var autoconfig = Path.Combine(_agent.Temp.Path, "multus", "cni", "net.d");
        Start(new ConfigGenerator(_agent.Generator.Options with { AutoconfigDir = autoconfig }, _agent.Backup, _agent.Log));
        Eventually.True(() => _passes.Any(p => p.Outcome.Status == GenerateStatus.NoPrimary), "first pass found no primary");

        Directory.CreateDirectory(autoconfig);
        File.WriteAllText(Path.Combine(autoconfig, "10-calico.conflist"), Calico);
        Eventually.True(() => ClusterName() == "k8s-pod-network", "config written once the autoconfig dir has a primary");

        var before = _passes.Count;
        Directory.Delete(autoconfig, recursive: true);
        Eventually.True(() => !File.Exists(_agent.OutputPath), "config removed with the autoconfig dir");
        SettledAfter(before);
        Directory.CreateDirectory(autoconfig);
        File.WriteAllText(Path.Combine(autoconfig, "05-cilium.conflist"), Cilium);

        Eventually.True(() => ClusterName() == "cilium", "config follows the primary in the recreated autoconfig dir");
    }

    [Fact]
    public void Watch_ConfDirReplacedByRename_ConfigRewrittenInTheNewDir()
    {
        _agent.Write("10-calico.conflist", Calico);
        Start();
        Eventually.True(() => ClusterName() == "k8s-pod-network", "config written at start");

        // A new dir renamed over the old one: the watch on the old inode hears nothing more.
        var staged = _agent.Temp.Sub("net.d.new");
        File.WriteAllText(Path.Combine(staged, "05-cilium.conflist"), Cilium);
        var before = _passes.Count;
        Directory.Delete(_agent.ConfDir, recursive: true);
        SettledAfter(before);
        Directory.Move(staged, _agent.ConfDir);

        Eventually.True(() => ClusterName() == "cilium", "config written into the renamed-in conf dir");
    }

    [Fact]
    public void Watch_PrimaryIsASymlinkToAFileElsewhere_EditsOfTheTargetFollowed()
    {
        var target = _agent.Temp.File("calico/10-calico.conflist", Calico);
        File.CreateSymbolicLink(Path.Combine(_agent.ConfDir, "10-calico.conflist"), target);
        StartSettled();

        File.WriteAllText(target, Cilium);

        Eventually.True(() => ClusterName() == "cilium", "config follows the edited target");
    }

    [Fact]
    public void Watch_PrimaryIsAChainOfRelativeSymlinks_EditsOfTheFinalTargetFollowed()
    {
        var target = _agent.Temp.File("real/10-calico.conflist", Calico);
        var hop = Path.Combine(_agent.Temp.Sub("hop"), "calico.conflist");
        File.CreateSymbolicLink(hop, "../real/10-calico.conflist");
        File.CreateSymbolicLink(Path.Combine(_agent.ConfDir, "10-calico.conflist"), "../hop/calico.conflist");
        StartSettled();

        File.WriteAllText(target, Cilium);

        Eventually.True(() => ClusterName() == "cilium", "config follows the edited final target");
    }

    [Fact]
    public void Watch_PrimaryIsADanglingSymlinkIntoAMissingDir_ConfigWrittenOnceTheTargetAppears()
    {
        var targetDir = Path.Combine(_agent.Temp.Path, "opt", "calico");
        File.CreateSymbolicLink(Path.Combine(_agent.ConfDir, "10-calico.conflist"), Path.Combine(targetDir, "10-calico.conflist"));
        Start();
        Eventually.True(() => _agent.LogText.ToString().Contains("skipped", StringComparison.Ordinal), "the dangling link is reported");
        Assert.False(File.Exists(_agent.OutputPath));

        Directory.CreateDirectory(targetDir);
        File.WriteAllText(Path.Combine(targetDir, "10-calico.conflist"), Calico);

        Eventually.True(() => ClusterName() == "k8s-pod-network", "config written once the link's target exists");
    }

    [Fact]
    public async Task Watch_SecondAgentOnTheSameConfDir_WaitsNamingTheHolderThenTakesOverWhenItStops()
    {
        _agent.Write("10-calico.conflist", Calico);
        Start();
        Eventually.True(() => ClusterName() == "k8s-pod-network", "first agent wrote the config");
        // The second agent differs in one setting, so each would rewrite the other's config for ever.
        var secondLog = new StringWriter();
        var secondPasses = new ConcurrentQueue<WatchPass>();
        var second = new ConfigWatcher(
            new ConfigGenerator(_agent.Generator.Options with { Settings = new ConfigSettings { LogLevel = "debug" } },
                new BackupStore(Path.Combine(_agent.Temp.Path, "backups-2"), TimeProvider.System), new AgentLog(secondLog, TimeProvider.System)),
            kubeconfig: null, new AgentLog(secondLog, TimeProvider.System), TimeProvider.System)
        {
            Reconciled = secondPasses.Enqueue,
            RetryDelay = TimeSpan.FromMilliseconds(50),
        };
        using var stopSecond = new CancellationTokenSource();
        var secondRun = Task.Run(() => second.RunAsync(cleanupOnExit: false, stopSecond.Token));

        Eventually.True(() => secondLog.ToString().Contains($"pid {Environment.ProcessId}", StringComparison.Ordinal), "the second agent names the holder");
        var before = _passes.Count;
        _agent.Write("notes.txt", "a change in the conf dir makes the first agent pass again");
        SettledAfter(before);
        Assert.Empty(secondPasses);
        Assert.Null(Plugin()["logLevel"]);

        await _stop.CancelAsync();
        await _run!.WaitAsync(Eventually.Limit);
        Eventually.True(() => File.Exists(_agent.OutputPath) && (string?)Plugin()["logLevel"] == "debug", "the second agent took over");
        await stopSecond.CancelAsync();
        await secondRun.WaitAsync(Eventually.Limit);
    }

    /// <summary>
    /// Starts the watch on a conf dir whose config is already current, and waits for its first pass: that pass writes
    /// nothing, so no event of the watch's own making can start the pass that notices what the test changes next.
    /// </summary>
    private void StartSettled()
    {
        Assert.Equal(GenerateStatus.Written, _agent.Generator.Generate(CancellationToken.None).Status);
        Start();
        Eventually.True(() => _passes.Any(p => p.Outcome.Status == GenerateStatus.Unchanged), "first pass found the config current");
    }

    /// <summary>
    /// Waits for a pass after the first <paramref name="before"/> that changed nothing (the config up to date, kept or
    /// still absent): the events of the test's last change and of the watch's own writes have been handled, so only a
    /// change the watch notices can start another.
    /// </summary>
    private void SettledAfter(int before) => Eventually.True(
        () => _passes.Skip(before).Any(p => p.Outcome.Status == GenerateStatus.Unchanged
            || (p.Outcome.Status == GenerateStatus.NoPrimary && !p.Outcome.Message.Contains("; removed ", StringComparison.Ordinal))),
        "a pass that changed nothing");

    private ConfigGenerator WithSettings(ConfigSettings settings) =>
        new(_agent.Generator.Options with { Settings = settings }, _agent.Backup, _agent.Log);

    private void Start(bool cleanup = false, KubeconfigRefresher? kubeconfig = null) => Start(_agent.Generator, cleanup, kubeconfig);

    private void Start(ConfigGenerator generator, bool cleanup = false, KubeconfigRefresher? kubeconfig = null)
    {
        var watcher = new ConfigWatcher(generator, kubeconfig, _agent.Log, TimeProvider.System) { Reconciled = _passes.Enqueue };
        _run = Task.Run(() => watcher.RunAsync(cleanup, _stop.Token));
    }

    private int? ClusterMtu()
    {
        try
        {
            return JsonNode.Parse(File.ReadAllBytes(_agent.OutputPath))!["plugins"]![0]!["delegates"]![0]!["plugins"]![0]!["mtu"]?.GetValue<int>();
        }
        catch (IOException)
        {
            return null;
        }
    }

    private JsonNode Plugin() => JsonNode.Parse(File.ReadAllBytes(_agent.OutputPath))!["plugins"]![0]!;

    private string? ClusterName()
    {
        try
        {
            return JsonNode.Parse(File.ReadAllBytes(_agent.OutputPath))!["plugins"]![0]!["delegates"]![0]!["name"]!.GetValue<string>();
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }
}

/// <summary>A service-account mount as the kubelet maintains it: files behind an atomically swapped <c>..data</c> link.</summary>
public sealed partial class ProjectedVolume(string dir)
{
    [System.Runtime.InteropServices.LibraryImport("libc", StringMarshalling = System.Runtime.InteropServices.StringMarshalling.Utf8)]
    private static partial int rename(string from, string to);

    private int _generation;

    public string Dir => dir;

    /// <summary>A real certificate: the agent writes no kubeconfig with a CA that is not one.</summary>
    public static string Ca { get; } = Plexus.Testing.TestCertificates.SelfSignedPem().Certificate;

    public void Publish(string token, string? ca = null)
    {
        ca ??= Ca;
        var generation = Path.Combine(dir, $"..gen-{++_generation}");
        Directory.CreateDirectory(generation);
        File.WriteAllText(Path.Combine(generation, "token"), token);
        File.WriteAllText(Path.Combine(generation, "ca.crt"), ca);
        var temp = Path.Combine(dir, "..data_tmp");
        File.CreateSymbolicLink(temp, Path.GetFileName(generation));
        // rename(2) swaps the link atomically; File.Move refuses a link that points at a directory.
        Assert.Equal(0, rename(temp, Path.Combine(dir, "..data")));
        foreach (var name in new[] { "token", "ca.crt" })
        {
            var link = Path.Combine(dir, name);
            if (!File.Exists(link))
            {
                File.CreateSymbolicLink(link, Path.Combine("..data", name));
            }
        }
    }
}
