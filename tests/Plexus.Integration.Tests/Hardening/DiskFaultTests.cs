using Plexus.Cni;
using Plexus.Cni.IO;
using Plexus.Integration.Tests.MetaPlugin;
using Plexus.NodeAgent.Cli;
using Plexus.Testing;

namespace Plexus.Integration.Tests.Hardening;

/// <summary>
/// A full disk (a small tmpfs) and a read-only conf dir while Plexus writes: a clear error, the
/// previous file intact, no temp file, nothing attached; once space is back the next run works.
/// </summary>
[Trait("Category", "Root")]
public sealed class DiskFaultTests
{
    private const string NeedsRoot = "needs root to mount a tmpfs and create network namespaces";
    private static readonly CancellationToken None = CancellationToken.None;

    [SkippableFact]
    public async Task Add_CniDirFull_IoErrorNothingAttachedThenWorksOnceFreed()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, NeedsRoot);
        using var disk = Tmpfs.Mount(64);
        await using var bed = await MetaPluginBed.CreateAsync(None);
        bed.Sim.CreateNetworkAttachmentDefinition(bed.Namespace, "side", bed.MacvlanConf("10.73.1.0/24"));
        bed.Sim.CreatePod(bed.Namespace, "p", annotations: new Dictionary<string, string> { ["k8s.v1.cni.cncf.io/networks"] = "side" });
        var cniDir = Path.Combine(disk.Path, "multus");
        var config = bed.Config(bed.BridgeConf("cbr0", "10.73.0.0/24", "cni0")).Replace(bed.CniDir, cniDir);
        var podNs = await bed.Node.CreatePodAsync(None);
        Directory.CreateDirectory(cniDir);
        var filler = disk.Fill();

        var error = await Assert.ThrowsAsync<CniException>(() => bed.Plugin().AddAsync(MetaPluginBed.Invocation("ADD", "c1", podNs, config, bed.Namespace, "p"), None));

        Assert.Equal(CniErrorCode.IoFailure, error.Code);
        Assert.Contains($"cannot save the delegate cache {cniDir}/c1", error.Message);
        Assert.Contains("No space left on device", error.Message);
        Assert.Empty(await Leftovers.PodLinksAsync(podNs, None));
        Assert.Empty(bed.ReservedAddresses());
        Assert.Equal(["filler"], Directory.GetFileSystemEntries(disk.Path, "*", SearchOption.AllDirectories).Where(File.Exists).Select(Path.GetFileName));

        File.Delete(filler);
        await bed.Plugin().AddAsync(MetaPluginBed.Invocation("ADD", "c1", podNs, config, bed.Namespace, "p"), None);
        Assert.Equal(["eth0", "net1"], (await Leftovers.PodLinksAsync(podNs, None)).Order());
        await bed.Plugin().DelAsync(MetaPluginBed.Invocation("DEL", "c1", podNs, config, bed.Namespace, "p"), None);
        Assert.Empty(bed.ReservedAddresses());
        Assert.Empty(Directory.GetFiles(cniDir));
        Assert.Empty(Directory.GetFiles(Path.Combine(cniDir, "results")));
    }

    [SkippableTheory]
    [InlineData("full")]
    [InlineData("read-only")]
    public void ConfigGenerate_ConfDirUnwritable_Exit1ClearErrorOldConfigIntactThenRecovers(string fault)
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, NeedsRoot);
        using var disk = Tmpfs.Mount(256);
        using var backups = new TempDirectory();
        var primary = Path.Combine(disk.Path, "10-net.conflist");
        var generated = Path.Combine(disk.Path, "00-plexus.conflist");
        File.WriteAllText(primary, """{"cniVersion":"1.0.0","name":"net-v1","plugins":[{"type":"bridge"}]}""");
        Assert.Equal(0, Generate(disk.Path, backups.Path).Exit);
        var before = File.ReadAllText(generated);
        File.WriteAllText(primary, """{"cniVersion":"1.0.0","name":"net-v2","plugins":[{"type":"bridge"}]}""");
        var filler = fault == "full" ? disk.Fill() : null;
        if (fault == "read-only")
        {
            disk.RemountReadOnly();
        }

        var (exit, stderr) = Generate(disk.Path, backups.Path);

        Assert.Equal(AgentCli.Failed, exit);
        Assert.Contains($"cannot bring {disk.Path} up to date", stderr);
        Assert.Contains(fault == "full" ? "No space left on device" : "Read-only file system", stderr);
        Assert.DoesNotContain("   at ", stderr);
        Assert.Equal(before, File.ReadAllText(generated));
        Assert.Empty(Directory.GetFiles(disk.Path, AtomicFile.TempPrefix + "*"));

        if (filler is not null)
        {
            File.Delete(filler);
        }
        else
        {
            disk.RemountWritable();
        }
        Assert.Equal(0, Generate(disk.Path, backups.Path).Exit);
        Assert.Contains("net-v2", File.ReadAllText(generated));
    }

    private static (int Exit, string Stderr) Generate(string confDir, string backupDir)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = AgentCli.Run(["config", "generate", "--conf-dir", confDir, "--backup-dir", backupDir], stdout, stderr, _ => null);
        return (exit, stderr.ToString());
    }

    private sealed class TempDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("plexus-backups-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
