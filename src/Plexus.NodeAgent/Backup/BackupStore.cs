using System.Globalization;
using System.Text.Json.Nodes;
using Plexus.Cni.IO;

namespace Plexus.NodeAgent.Backup;

/// <summary>
/// Timestamped backups of a conf dir under one root (dirs 0700, copies 0600). One backup per
/// agent run: it is created at the first change and extended by later moves, so restoring it
/// brings the dir back to how it was before Plexus touched it.
/// </summary>
public sealed class BackupStore(string root, TimeProvider time)
{
    private const UnixFileMode DirMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly Lock _gate = new();
    private string? _current;
    private BackupManifest? _manifest;

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
            var dir = _current ??= NewBackupDir();
            var manifest = _manifest ??= new BackupManifest { ConfDir = Path.GetFullPath(confDir) };
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
            _manifest = manifest with { Saved = saved, Created = created };
            AtomicFile.WriteAllText(Path.Combine(dir, BackupManifest.FileName), _manifest.ToJson().ToJsonString(), FileMode);
            return dir;
        }
    }

    /// <summary>Backup dir names, oldest first.</summary>
    public IReadOnlyList<string> List() =>
        Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Where(d => File.Exists(Path.Combine(d, BackupManifest.FileName)))
                .Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList()
            : [];

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

    /// <summary>Puts backup <paramref name="name"/> (the latest when null) back into its conf dir; returns what it did.</summary>
    public IReadOnlyList<string> Restore(string? name, CancellationToken cancellationToken)
    {
        var chosen = name ?? List().LastOrDefault()
            ?? throw new FileNotFoundException($"no backup in {root}: nothing to restore");
        var dir = Path.Combine(root, chosen);
        var manifest = BackupManifest.FromJson(JsonNode.Parse(File.ReadAllBytes(Path.Combine(dir, BackupManifest.FileName))));
        var actions = new List<string>();
        foreach (var created in manifest.Created)
        {
            var target = Path.Combine(manifest.ConfDir, created);
            if (File.Exists(target))
            {
                File.Delete(target);
                actions.Add($"removed {target} (created by Plexus)");
            }
        }
        foreach (var saved in manifest.Saved)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var target = Path.Combine(manifest.ConfDir, saved.Name);
            AtomicFile.WriteAllBytes(target, File.ReadAllBytes(Path.Combine(dir, saved.Name)), saved.Mode);
            actions.Add($"restored {target} from {dir}");
        }
        return actions;
    }

    private string NewBackupDir()
    {
        AtomicFile.EnsureDirectory(root, DirMode);
        var stamp = time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss.fff'Z'", CultureInfo.InvariantCulture);
        for (var i = 0; ; i++)
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
