using Plexus.NodeAgent.Backup;
using Plexus.NodeAgent.Cli;
using Plexus.Testing;

namespace Plexus.NodeAgent.Tests.Generation;

/// <summary>
/// Every agent run that changes the conf dir makes its own backup; `config restore` undoes all of them since Plexus
/// arrived, and restarts do not pile backups up for ever.
/// </summary>
public sealed class RestoreAfterRestartsTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();
    private readonly ManualTimeProvider _time = new();
    private readonly string _dir;
    private readonly string _multus;

    public RestoreAfterRestartsTests()
    {
        _dir = _temp.Sub("net.d");
        Scenarios.CopyTo("flannel", _dir);
        _multus = Path.Combine(_dir, "00-multus.conf");
        File.WriteAllText(_multus, Scenarios.NestedMultus(Scenarios.Flannel, 1));
    }

    public void Dispose() => _temp.Dispose();

    private string Backups => Path.Combine(_temp.Path, "b");

    private string OwnConfig => Path.Combine(_dir, "00-plexus.conflist");

    [Fact]
    public void Restore_AfterTwoWatchRestartsAndAGenerate_TheDirAsBeforePlexus()
    {
        var before = Snapshot();
        Watch();
        Watch();
        Assert.Equal(0, Run("config", "generate", "--conf-dir", _dir, "--backup-dir", Backups));

        Assert.Equal(0, Run("config", "restore", "--backup-dir", Backups));

        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void Restore_FileMovedInALaterRunAndThatBackupPruned_StillRestored()
    {
        var before = Snapshot();
        Watch();
        var second = Path.Combine(_dir, "00-multus-old.conf");
        File.WriteAllText(second, Scenarios.NestedMultus(Scenarios.Flannel, 1).Replace("multus-cni-network", "second"));
        before[Path.GetFileName(second)] = File.ReadAllText(second);
        for (var i = 0; i < 12; i++)
        {
            Watch();
        }
        Assert.False(File.Exists(second));

        Assert.Equal(0, Run("config", "restore", "--backup-dir", Backups));

        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void Watch_ManyRestarts_BackupsPrunedButTheOriginalKept()
    {
        Watch();
        var original = Assert.Single(Store().List());
        for (var i = 0; i < 20; i++)
        {
            Watch();
        }

        var kept = Store().List();

        Assert.Equal(original, kept[0]);
        Assert.Equal(1 + BackupStore.KeptRecent, kept.Count);
        Assert.True(File.Exists(Path.Combine(Backups, original, "00-multus.conf")));
    }

    [Fact]
    public void BeforeChange_ManyRunsInOneMillisecond_NumberedInOrderAndTheNewestKept()
    {
        var frozen = new ManualTimeProvider();
        for (var run = 0; run < 12; run++)
        {
            new BackupStore(Backups, frozen).BeforeChange(_dir, [], ["00-plexus.conflist"], CancellationToken.None);
        }

        var kept = new BackupStore(Backups, frozen).List();

        // "-10" is newer than "-9", and a number freed by pruning is not given again.
        var stamp = kept[0];
        Assert.Equal([stamp, .. Enumerable.Range(12 - BackupStore.KeptRecent, BackupStore.KeptRecent).Select(i => $"{stamp}-{i}")], kept);
        new BackupStore(Backups, frozen).BeforeChange(_dir, [], ["00-plexus.conflist"], CancellationToken.None);
        Assert.Equal($"{stamp}-12", new BackupStore(Backups, frozen).List()[^1]);
    }

    [Fact]
    public void Restore_ThenPlexusAgain_RestoreUndoesOnlyTheNewRun()
    {
        Watch();
        Assert.Equal(0, Run("config", "restore", "--backup-dir", Backups));
        // The operator uninstalls Multus for good, then deploys Plexus again.
        File.Delete(_multus);
        var before = Snapshot();
        Assert.Equal(0, Run("config", "generate", "--conf-dir", _dir, "--backup-dir", Backups));

        Assert.Equal(0, Run("config", "restore", "--backup-dir", Backups));

        Assert.Equal(before, Snapshot());
        Assert.False(File.Exists(_multus));
    }

    [Fact]
    public void Restore_Twice_SecondSaysThereIsNothingLeft()
    {
        Watch();
        Assert.Equal(0, Run("config", "restore", "--backup-dir", Backups));
        var after = Snapshot();

        Assert.Equal(1, Run("config", "restore", "--backup-dir", Backups));

        Assert.Contains("restored already", _err.ToString());
        Assert.Equal(after, Snapshot());
    }

    [Fact]
    public void BeforeChange_ThisRunsBackupPrunedByAnotherAgent_StartsAnotherOne()
    {
        var store = Store();
        var first = store.BeforeChange(_dir, ["00-multus.conf"], [], CancellationToken.None);
        Directory.Delete(first, recursive: true);
        _time.Advance(TimeSpan.FromSeconds(1));

        var second = store.BeforeChange(_dir, ["10-flannel.conflist"], [], CancellationToken.None);

        Assert.NotEqual(first, second);
        Assert.True(File.Exists(Path.Combine(second, "10-flannel.conflist")));
        Assert.Equal([Path.GetFileName(second)], Store().List());
    }

    [Fact]
    public void Restore_NamedBackup_OnlyThatOne()
    {
        Watch();
        Assert.Equal(0, Run("config", "generate", "--conf-dir", _dir, "--backup-dir", Backups));
        var latest = Store().List()[^1];

        Assert.Equal(0, Run("config", "restore", "--backup-dir", Backups, "--backup", latest));

        Assert.False(File.Exists(OwnConfig));
        Assert.False(File.Exists(_multus));
    }

    [Fact]
    public void Restore_BackupsOfAnotherConfDir_LeftOut()
    {
        var other = _temp.Sub("other.d");
        Scenarios.CopyTo("cilium", other);
        File.WriteAllText(Path.Combine(other, "00-multus.conf"), Scenarios.NestedMultus("{\"type\":\"cilium-cni\"}", 2));
        Assert.Equal(0, Run("config", "generate", "--conf-dir", other, "--backup-dir", Backups));
        var before = Snapshot();
        Watch();

        Assert.Equal(0, Run("config", "restore", "--backup-dir", Backups));

        Assert.Equal(before, Snapshot());
        Assert.False(File.Exists(Path.Combine(other, "00-multus.conf")));
        Assert.True(File.Exists(Path.Combine(other, "00-plexus.conflist")));
    }

    [Fact]
    public void Restore_DamagedManifestInTheChain_NothingRestoredAndTheBackupNamed()
    {
        Watch();
        Watch();
        var first = Store().List()[0];
        File.WriteAllText(Path.Combine(Backups, first, BackupManifest.FileName), "{\"confDir\":5}");
        Assert.Equal(0, Run("config", "generate", "--conf-dir", _dir, "--backup-dir", Backups));

        Assert.Equal(1, Run("config", "restore", "--backup-dir", Backups));

        Assert.Contains(first, _err.ToString());
        Assert.True(File.Exists(OwnConfig), "nothing was restored");
    }

    /// <summary>`config watch --cleanup-config-on-exit` started and stopped once (a restart), a second of time later.</summary>
    private void Watch()
    {
        _time.Advance(TimeSpan.FromSeconds(1));
        using var stopped = new CancellationTokenSource();
        stopped.Cancel();
        var code = AgentCli.Dispatch(["config", "watch", "--conf-dir", _dir, "--backup-dir", Backups, "--skip-config-watch", "--cleanup-config-on-exit"],
            new CliContext(_out, _err, _ => null, _time, stopped.Token));
        Assert.Equal(0, code);
        Assert.False(File.Exists(OwnConfig));
    }

    private int Run(params string[] args)
    {
        _time.Advance(TimeSpan.FromSeconds(1));
        return AgentCli.Dispatch(args, new CliContext(_out, _err, _ => null, _time, CancellationToken.None));
    }

    private BackupStore Store() => new(Backups, _time);

    private Dictionary<string, string> Snapshot() =>
        Directory.GetFiles(_dir).ToDictionary(f => Path.GetFileName(f), File.ReadAllText);
}
