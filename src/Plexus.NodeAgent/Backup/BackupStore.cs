using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plexus.Cni.IO;

namespace Plexus.NodeAgent.Backup;

/// <summary>
/// Timestamped backups of a conf dir under one root (dirs 0700, copies 0600). One backup per agent run: it is created at
/// the first change and extended by later moves. Every restart that changes something makes another, so a default
/// restore undoes all of them since Plexus arrived, and older ones between the original and the newest few are folded
/// into the original.
/// </summary>
public sealed class BackupStore(string root, TimeProvider time)
{
    /// <summary>Backups of a conf dir kept besides the original one (the dir before Plexus), the current run's included.</summary>
    public const int KeptRecent = 5;

    private const UnixFileMode DirMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly Lock _gate = new();
    private string? _current;

    public string Root => root;

    /// <summary>
    /// Records the conf dir's state before a change: copies <paramref name="willChange"/> (files
    /// that exist and are about to be replaced, moved or removed; each only the first time) and
    /// notes <paramref name="willCreate"/>. Returns the backup dir.
    /// </summary>
    public string BeforeChange(string confDir, IEnumerable<string> willChange, IEnumerable<string> willCreate, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            // Another agent's pruning may have folded this run's backup into the original and removed it: start another.
            var isNew = _current is null || !Directory.Exists(_current);
            var dir = isNew ? _current = NewBackupDir() : _current!;
            // Read back, not cached: another agent's pruning may have folded older backups into this one.
            var manifest = isNew ? new BackupManifest { ConfDir = Path.GetFullPath(confDir) } : Read(Path.GetFileName(dir));
            var saved = manifest.Saved.ToList();
            var created = manifest.Created.ToList();
            foreach (var name in willChange)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (saved.Any(s => s.Name == name) || created.Contains(name))
                {
                    continue;
                }
                var source = Path.Combine(confDir, name);
                AtomicFile.WriteAllBytes(Path.Combine(dir, name), File.ReadAllBytes(source), FileMode);
                saved.Add(new SavedFile(name, File.GetUnixFileMode(source)));
            }
            created.AddRange(willCreate.Where(n => !created.Contains(n) && saved.All(s => s.Name != n)));
            Write(Path.GetFileName(dir), manifest with { Saved = saved, Created = created });
            if (isNew)
            {
                Prune(manifest.ConfDir);
            }
            return dir;
        }
    }

    /// <summary>Backup dir names, oldest first: by time stamp, then by the number a second backup of the same millisecond gets.</summary>
    public IReadOnlyList<string> List() =>
        Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Where(d => File.Exists(Path.Combine(d, BackupManifest.FileName)))
                .Select(Path.GetFileName).OfType<string>()
                .OrderBy(StampOf, StringComparer.Ordinal).ThenBy(SequenceOf).ThenBy(n => n, StringComparer.Ordinal).ToList()
            : [];

    // "<stamp>" or "<stamp>-<n>" (NewBackupDir): "-10" must sort after "-9".
    private static string StampOf(string name) => SequenceOf(name) > 0 ? name[..name.LastIndexOf('-')] : name;

    private static int SequenceOf(string name) =>
        name.LastIndexOf('-') is var dash and > 0 && int.TryParse(name.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;

    /// <summary>Each saved file name's size in the newest backup holding it (for "is it growing").</summary>
    public IReadOnlyDictionary<string, long> SavedSizes()
    {
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var backup in List())
        {
            foreach (var file in new DirectoryInfo(Path.Combine(root, backup)).GetFiles())
            {
                if (file.Name != BackupManifest.FileName)
                {
                    sizes[file.Name] = file.Length;
                }
            }
        }
        return sizes;
    }

    /// <summary>
    /// Puts the conf dir back: backup <paramref name="name"/> alone, or by default every backup of the latest backup's
    /// conf dir since its last default restore, which are then marked restored. Of several backups holding a file the
    /// oldest wins: it had the file as it was before Plexus, later ones only what Plexus had left. Returns what it did.
    /// </summary>
    /// <summary>The conf dir <see cref="Restore"/> would write to, for the same <paramref name="name"/>.</summary>
    public string ConfDirOf(string? name) => Read(LatestOr(name)).ConfDir;

    private string LatestOr(string? name) =>
        name ?? List().LastOrDefault() ?? throw new FileNotFoundException($"no backup in {root}: nothing to restore");

    public IReadOnlyList<string> Restore(string? name, CancellationToken cancellationToken)
    {
        var latest = LatestOr(name);
        var backups = name is null ? SinceLastRestore(Read(latest).ConfDir, skipUnreadable: false) : [(latest, Read(latest))];
        if (backups.Count == 0)
        {
            throw new FileNotFoundException($"the backups in {root} were restored already: nothing to restore (--backup NAME restores one again)");
        }
        var oldest = new Dictionary<string, (string Dir, SavedFile? Saved)>(StringComparer.Ordinal);
        foreach (var (backup, manifest) in backups)
        {
            foreach (var created in manifest.Created)
            {
                oldest.TryAdd(created, (Path.Combine(root, backup), null));
            }
            foreach (var saved in manifest.Saved)
            {
                oldest.TryAdd(saved.Name, (Path.Combine(root, backup), saved));
            }
        }
        var confDir = backups[0].Manifest.ConfDir;
        var actions = new List<string>();
        foreach (var (file, _) in oldest.Where(o => o.Value.Saved is null))
        {
            var target = Path.Combine(confDir, file);
            if (File.Exists(target))
            {
                File.Delete(target);
                actions.Add($"removed {target} (created by Plexus)");
            }
        }
        foreach (var (dir, saved) in oldest.Values.Where(o => o.Saved is not null))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var target = Path.Combine(confDir, saved!.Name);
            AtomicFile.WriteAllBytes(target, File.ReadAllBytes(Path.Combine(dir, saved.Name)), saved.Mode);
            actions.Add($"restored {target} from {dir}");
        }
        if (name is null)
        {
            backups.ForEach(b => Write(b.Name, b.Manifest with { Restored = true }));
        }
        return actions;
    }

    /// <summary>
    /// Keeps restarts from piling up backups of <paramref name="confDir"/>: of those since its last restore, the original
    /// and the newest <see cref="KeptRecent"/> stay. One in between is folded into the original first (the files the
    /// original does not hold, oldest backup first) and only then removed, so a default restore still undoes everything.
    /// Backups whose manifest cannot be read are never touched.
    /// </summary>
    private void Prune(string confDir)
    {
        var backups = SinceLastRestore(confDir, skipUnreadable: true);
        if (backups.Count <= KeptRecent + 1)
        {
            return;
        }
        var (originalName, original) = backups[0];
        foreach (var (name, manifest) in backups.Skip(1).SkipLast(KeptRecent))
        {
            var saved = original.Saved.ToList();
            foreach (var file in manifest.Saved.Where(s => !original.Mentions(s.Name)))
            {
                AtomicFile.WriteAllBytes(Path.Combine(root, originalName, file.Name), File.ReadAllBytes(Path.Combine(root, name, file.Name)), FileMode);
                saved.Add(file);
            }
            original = original with { Saved = saved, Created = [.. original.Created, .. manifest.Created.Where(c => !original.Mentions(c))] };
            Write(originalName, original);
            Directory.Delete(Path.Combine(root, name), recursive: true);
        }
    }

    /// <summary>The backups of <paramref name="confDir"/> after the last one a default restore put back, oldest first.</summary>
    private List<(string Name, BackupManifest Manifest)> SinceLastRestore(string confDir, bool skipUnreadable)
    {
        var backups = new List<(string Name, BackupManifest Manifest)>();
        foreach (var name in List())
        {
            BackupManifest manifest;
            try
            {
                manifest = Read(name);
            }
            catch (Exception e) when (skipUnreadable && e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                continue;
            }
            if (manifest.ConfDir == confDir)
            {
                backups.Add((name, manifest));
            }
        }
        return backups[(backups.FindLastIndex(b => b.Manifest.Restored) + 1)..];
    }

    /// <summary>A backup's manifest; a damaged one is an <see cref="InvalidDataException"/> naming the backup.</summary>
    private BackupManifest Read(string name)
    {
        var path = Path.Combine(root, name, BackupManifest.FileName);
        try
        {
            return BackupManifest.FromJson(JsonNode.Parse(File.ReadAllBytes(path)));
        }
        catch (Exception e) when (e is InvalidDataException or JsonException)
        {
            throw new InvalidDataException($"{path}: {e.Message}; repair or remove that backup", e);
        }
    }

    private void Write(string name, BackupManifest manifest) =>
        AtomicFile.WriteAllText(Path.Combine(root, name, BackupManifest.FileName), manifest.ToJson().ToJsonString(), FileMode);

    private string NewBackupDir()
    {
        AtomicFile.EnsureDirectory(root, DirMode);
        var stamp = time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss.fff'Z'", CultureInfo.InvariantCulture);
        // Numbered past every backup of the same millisecond, also past one pruned in between: a reused number would sort
        // a newer backup before older ones.
        var last = Directory.EnumerateDirectories(root).Select(Path.GetFileName).OfType<string>()
            .Where(n => StampOf(n) == stamp).Select(SequenceOf).DefaultIfEmpty(-1).Max();
        for (var i = last + 1; ; i++)
        {
            var dir = Path.Combine(root, i == 0 ? stamp : $"{stamp}-{i}");
            if (!Directory.Exists(dir))
            {
                AtomicFile.EnsureDirectory(dir, DirMode);
                return dir;
            }
        }
    }
}
