using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Plexus.Daemon;
using Plexus.Daemon.Cni;
using Plexus.Daemon.Metrics;
using Plexus.Integration.Tests.MetaPlugin;
using Plexus.NodeAgent;
using Plexus.NodeAgent.Backup;
using Plexus.NodeAgent.Generation;
using Plexus.NodeAgent.Kubeconfig;
using Plexus.Testing;

namespace Plexus.Integration.Tests.Hardening;

/// <summary>
/// Every file Plexus leaves on a node, written through the real entry points, has the mode it
/// promises: caches, logs, generated config, backups and kubeconfig 0600 in 0700 dirs; the daemon socket 0600
/// in a 0700 dir. Directories that exist with looser modes are tightened.
/// </summary>
public sealed class FileModeTests : IDisposable
{
    private const UnixFileMode Rw = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Rwx = Rw | UnixFileMode.UserExecute;
    private const UnixFileMode Loose = Rwx | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly string _dir = Directory.CreateTempSubdirectory("plexus-modes-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SkippableFact]
    [Trait("Category", "Root")]
    public async Task Add_RealDelegates_DelegateCacheResultCachesAndLog0600In0700Dirs()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root for network namespaces");
        await using var bed = await MetaPluginBed.CreateAsync(None);
        bed.Sim.CreateNetworkAttachmentDefinition(bed.Namespace, "side", bed.MacvlanConf("10.63.1.0/24"));
        bed.Sim.CreatePod(bed.Namespace, "p", annotations: new Dictionary<string, string> { ["k8s.v1.cni.cncf.io/networks"] = "side" });
        // A cniDir someone created world-readable: Plexus tightens it before writing the cache into it.
        Directory.CreateDirectory(bed.CniDir);
        File.SetUnixFileMode(bed.CniDir, Loose);
        var log = Path.Combine(bed.Node.Root, "logs", "plexus.log");
        Directory.CreateDirectory(Path.GetDirectoryName(log)!);
        var config = bed.Config(bed.BridgeConf("cbr0", "10.63.0.0/24", "cni0"), $$""","logFile":"{{log}}" """);
        var podNs = await bed.Node.CreatePodAsync(None);
        var id = MetaPluginBed.NewContainerId();

        await bed.Plugin().AddAsync(MetaPluginBed.Invocation("ADD", id, podNs, config, bed.Namespace, "p"), None);
        // A DEL of a container never added logs a verbose line, so the log file exists.
        await bed.Plugin().DelAsync(MetaPluginBed.Invocation("DEL", "never-added", podNs, config, bed.Namespace, "p"), None);

        Assert.Equal(Rwx, File.GetUnixFileMode(bed.CniDir));
        Assert.Equal(Rw, File.GetUnixFileMode(Path.Combine(bed.CniDir, id)));
        var results = Path.Combine(bed.CniDir, "results");
        Assert.Equal(Rwx, File.GetUnixFileMode(results));
        var cached = Directory.GetFiles(results);
        Assert.Equal(2, cached.Length);
        Assert.All(cached, f => Assert.Equal(Rw, File.GetUnixFileMode(f)));
        Assert.Equal(Rw, File.GetUnixFileMode(log));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(bed.CniDir, "*", SearchOption.AllDirectories), f => Path.GetFileName(f).StartsWith(Plexus.Cni.IO.AtomicFile.TempPrefix, StringComparison.Ordinal));
        await bed.Plugin().DelAsync(MetaPluginBed.Invocation("DEL", id, podNs, config, bed.Namespace, "p"), None);
    }

    [Fact]
    public void Generate_PrimaryChanges_Config0600AndBackups0600In0700Dirs()
    {
        var confDir = Path.Combine(_dir, "net.d");
        Directory.CreateDirectory(confDir);
        var backups = Path.Combine(_dir, "backups");
        var generator = new ConfigGenerator(new GeneratorOptions { ConfDir = confDir }, new BackupStore(backups, TimeProvider.System), new AgentLog(TextWriter.Null, TimeProvider.System));
        // A world-readable leftover under Plexus's own name: it is backed up (0600) before being replaced.
        File.WriteAllText(generator.Options.OutputPath, "{}");
        File.SetUnixFileMode(generator.Options.OutputPath, Loose & ~UnixFileMode.UserExecute & ~UnixFileMode.GroupExecute & ~UnixFileMode.OtherExecute);
        File.WriteAllText(Path.Combine(confDir, "10-net.conflist"), """{"cniVersion":"1.0.0","name":"net","plugins":[{"type":"bridge"}]}""");
        generator.Generate(None);
        File.WriteAllText(Path.Combine(confDir, "10-net.conflist"), """{"cniVersion":"1.0.0","name":"net2","plugins":[{"type":"bridge"}]}""");

        generator.Generate(None);

        Assert.Equal(Rw, File.GetUnixFileMode(generator.Options.OutputPath));
        Assert.Contains("net2", File.ReadAllText(generator.Options.OutputPath));
        Assert.Equal(Rwx, File.GetUnixFileMode(backups));
        var backupDirs = Directory.GetDirectories(backups);
        Assert.NotEmpty(backupDirs);
        Assert.All(backupDirs, d => Assert.Equal(Rwx, File.GetUnixFileMode(d)));
        var backupFiles = backupDirs.SelectMany(Directory.GetFiles).ToList();
        Assert.Contains(backupFiles, f => Path.GetFileName(f) == Path.GetFileName(generator.Options.OutputPath));
        Assert.All(backupFiles, f => Assert.Equal(Rw, File.GetUnixFileMode(f)));
    }

    [Fact]
    public void RefreshKubeconfig_NewDir_Kubeconfig0600In0700Dir()
    {
        var serviceAccount = Path.Combine(_dir, "sa");
        Directory.CreateDirectory(serviceAccount);
        File.WriteAllText(Path.Combine(serviceAccount, "token"), "tok-" + Guid.NewGuid());
        File.WriteAllText(Path.Combine(serviceAccount, "ca.crt"), Plexus.Testing.TestCertificates.SelfSignedPem().Certificate);
        var output = Path.Combine(_dir, "net.d", "plexus.d", "plexus.kubeconfig");
        var refresher = new KubeconfigRefresher(new KubeconfigOptions { ServiceAccountDir = serviceAccount, OutputPath = output, Server = "https://10.0.0.1:443" },
            new AgentLog(TextWriter.Null, TimeProvider.System));

        Assert.True(refresher.Refresh(None));
        File.WriteAllText(Path.Combine(serviceAccount, "token"), "rotated-" + Guid.NewGuid());
        Assert.True(refresher.Refresh(None));

        Assert.Equal(Rw, File.GetUnixFileMode(output));
        Assert.Equal(Rwx, File.GetUnixFileMode(Path.GetDirectoryName(output)!));
        Assert.Contains("rotated-", File.ReadAllText(output));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(output)!));
    }

    [Fact]
    public async Task DaemonStart_LooseExistingSocketDir_Socket0600In0700Dir()
    {
        var socketDir = Path.Combine(_dir, "run");
        Directory.CreateDirectory(socketDir);
        File.SetUnixFileMode(socketDir, Loose);
        var options = new DaemonOptions { SocketDir = socketDir, MetricsEndpoint = new IPEndPoint(IPAddress.Loopback, 0) };
        await using var server = DaemonServer.Build(options, new DaemonMetrics(), _ => { },
            services => services.AddSingleton<ICniCallHandler>(new DispatcherCallHandler(new Core.Service.MetaPlugin(new Core.Service.MetaPluginHost { Executor = new RecordingPluginExecutor() }),
                NullLogger<DispatcherCallHandler>.Instance)));

        await server.StartAsync(None);

        Assert.Equal(Rwx, File.GetUnixFileMode(socketDir));
        Assert.True(Path.Exists(options.SocketPath));
        Assert.Equal(Rw, File.GetUnixFileMode(options.SocketPath));
        // The socket and its lock file: nothing in the dir is open to group or others.
        Assert.All(Directory.GetFileSystemEntries(socketDir), f => Assert.Equal(Rw, File.GetUnixFileMode(f)));
    }
}
