using Plexus.Cni;
using Plexus.Cni.IO;
using Plexus.Cni.Json;
using Plexus.NodeAgent.Backup;
using Plexus.NodeAgent.Generation;
using Plexus.NodeAgent.IO;
using Plexus.NodeAgent.Selection;

namespace Plexus.NodeAgent.Doctor;

/// <summary>
/// Examines a conf dir (files, plugin binaries, kubeconfigs) and, on request, repairs it: backs up, moves out
/// meta-plugin configs and unloadable files that load before Plexus's config, recovers the real primary from inside a
/// self-nested foreign config when no primary file is left, regenerates Plexus's config when it is missing, broken,
/// stale or not 0600, takes group/other access away from kubeconfigs, and removes abandoned temp files. A healthy dir
/// is left exactly as it is.
/// </summary>
public sealed class DoctorRunner(ConfigGenerator generator, BackupStore backup, IPluginProbe probe, IReadOnlyList<string> extraKubeconfigs)
{
    private const UnixFileMode ConfMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode UserOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private GeneratorOptions Options => generator.Options;

    public DoctorReport Examine(CancellationToken cancellationToken)
    {
        var selection = Select(cancellationToken);
        var findings = new List<Finding>();
        findings.AddRange(ConfDirChecks.Check(selection, Options.Settings, backup.SavedSizes()));
        findings.AddRange(PluginChecks.Check(selection, probe, cancellationToken));
        findings.AddRange(KubeconfigChecks.Check(selection, extraKubeconfigs.Where(File.Exists), ModeOf));
        findings.AddRange(FileSafetyChecks.Check(selection, ModeOf, AbandonedTempFiles(), Options.ConfDir));
        return new DoctorReport { ConfDir = Options.ConfDir, Primary = selection.Primary?.Name, Findings = findings };
    }

    /// <summary>Repairs the dir; returns what it did and what it could not do (the caller examines again afterwards).</summary>
    public IReadOnlyList<FixAction> Fix(CancellationToken cancellationToken)
    {
        var selection = Select(cancellationToken);
        var actions = new List<FixAction>(RestrictKubeconfigs(selection, cancellationToken));
        actions.AddRange(RemoveAbandonedTempFiles());
        var moving = selection.Files.Where(f => f.IsMeta && !f.IsOwnOutput && f.InConfDir)
            .Select(f => (File: f, What: $"meta-plugin config, nesting depth {f.MetaDepth}"))
            .Concat(selection.UnloadableBefore(Options.Settings.FileName).Select(f => (File: f, What: $"{f.Problem}; the runtime cannot load it")))
            .ToList();
        // A recovered primary must be where the generator looks for it; a separate autoconfig dir is not backed up.
        var recovered = selection.Primary is null && selection.Files.All(f => f.InConfDir) ? Recover(selection) : null;
        if (moving.Count == 0 && recovered is null)
        {
            if (NeedsRegeneration(selection))
            {
                actions.Add(Regenerate(cancellationToken));
            }
            return actions;
        }
        if (recovered is { } r)
        {
            backup.BeforeChange(Options.ConfDir, [], [r.Name], cancellationToken);
            AtomicFile.WriteAllBytes(Path.Combine(Options.ConfDir, r.Name), r.Content, ConfMode);
            actions.Add(FixAction.Fixed($"recovered the real primary from inside {r.From} as {r.Name}"));
        }
        // Plexus's config first: a file goes only once there is a config to take over from it, so neither a crash
        // nor a primary the generator refuses leaves the runtime without a config (or with the primary alone).
        var regenerated = Regenerate(cancellationToken);
        actions.Add(regenerated);
        if (!regenerated.Done)
        {
            actions.AddRange(moving.Select(m => FixAction.NotFixed($"left {m.File.Name} ({m.What}) in place: without Plexus's config nothing would replace it")));
            return actions;
        }
        // The generator has already moved the meta configs that load before its config (into this same backup).
        var backupDir = backup.BeforeChange(Options.ConfDir, moving.Where(m => File.Exists(m.File.Path)).Select(m => m.File.Name), [], cancellationToken);
        foreach (var (file, what) in moving)
        {
            File.Delete(file.Path);
            actions.Add(FixAction.Fixed($"moved {file.Name} ({what}) to {backupDir}"));
        }
        return actions;
    }

    /// <summary>
    /// Plexus's config is missing, does not load, no longer wraps the primary (or there is no primary to wrap), or has
    /// another mode than 0600 (generation sets it without rewriting an up-to-date file).
    /// </summary>
    private static bool NeedsRegeneration(PrimarySelection selection) =>
        selection.Files.FirstOrDefault(f => f.IsOwnOutput) is not { List: not null } own
        || selection.Primary is null
        || ConfDirChecks.IsStale(own, selection)
        || ModeOf(own.Path) != FileSafetyChecks.OwnMode;

    private FixAction Regenerate(CancellationToken cancellationToken)
    {
        var outcome = generator.Generate(cancellationToken);
        return outcome.Status == GenerateStatus.NoPrimary
            ? FixAction.NotFixed($"{outcome.Message}. Put the cluster network's config into {Options.PrimaryDir} " +
                "(or repair the files reported below), then run `plexus doctor --fix` again")
            : FixAction.Fixed(outcome.Message);
    }

    /// <summary>Group/other access taken away from every kubeconfig a config refers to (they hold credentials).</summary>
    private IEnumerable<FixAction> RestrictKubeconfigs(PrimarySelection selection, CancellationToken cancellationToken)
    {
        var actions = new List<FixAction>();
        foreach (var (_, path) in KubeconfigChecks.Referenced(selection, extraKubeconfigs))
        {
            if (ModeOf(path) is { } mode && KubeconfigChecks.IsReadableByOthers(mode))
            {
                try
                {
                    FileModeStore.Enforce(path, mode & UserOnly, cancellationToken);
                    actions.Add(FixAction.Fixed($"kubeconfig {path}: mode {FileModeStore.Octal(mode)} -> {FileModeStore.Octal(mode & UserOnly)}"));
                }
                catch (UnauthorizedAccessException e)
                {
                    actions.Add(FixAction.NotFixed($"kubeconfig {path} is readable by group/others and its mode cannot be changed ({e.Message}); chmod 600 it as its owner or root"));
                }
            }
        }
        return actions;
    }

    /// <summary>
    /// Temp files of writes that never finished, in the conf dir and beside the kubeconfigs Plexus writes. Only old ones:
    /// a live writer's temp file (generation, the kubeconfig refresher, in another process) is milliseconds old, so
    /// removing by age cannot break a write in progress, with or without a lock shared by the writers.
    /// </summary>
    private IEnumerable<string> AbandonedTempFiles()
    {
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        return extraKubeconfigs.Select(Path.GetDirectoryName).Prepend(Options.ConfDir).OfType<string>()
            .Select(d => Path.TrimEndingDirectorySeparator(Path.GetFullPath(d))).Distinct(StringComparer.Ordinal)
            .SelectMany(AtomicFile.TempFiles)
            .Where(path => now - File.GetLastWriteTimeUtc(path) > FileSafetyChecks.AbandonedAfter)
            .ToList();
    }

    private IEnumerable<FixAction> RemoveAbandonedTempFiles()
    {
        var actions = new List<FixAction>();
        foreach (var path in AbandonedTempFiles())
        {
            try
            {
                File.Delete(path);
                actions.Add(FixAction.Fixed($"removed abandoned temp file {path}"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                actions.Add(FixAction.NotFixed($"abandoned temp file {path} cannot be removed ({e.Message}); remove it as its owner or root"));
            }
        }
        return actions;
    }

    /// <summary>
    /// The innermost non-meta delegate of the first damaged (self-nested, the Multus 4.0.2 case) foreign meta config that
    /// has one, under a name no file has. A healthy meta config, Plexus's own above all, only wraps a primary that is
    /// gone because its owner removed it (Cilium while its agent is down): a copy would make the node Ready with ADDs
    /// failing, and stay for ever.
    /// </summary>
    private (string Name, byte[] Content, string From)? Recover(PrimarySelection selection)
    {
        foreach (var file in selection.Files.Where(f => !f.IsOwnOutput && f.MetaDepth >= 2 && f.InnermostPrimary is not null))
        {
            JsonObjectName? primary;
            try
            {
                primary = JsonObjectName.Of(file.InnermostPrimary!);
            }
            catch (CniException)
            {
                continue;
            }
            var safe = new string((primary.Name ?? "primary").Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray());
            var extension = primary.IsList ? ".conflist" : ".conf";
            return (FreeName($"90-recovered-{safe}", extension), file.InnermostPrimary!, file.Name);
        }
        return null;
    }

    /// <summary>
    /// <paramref name="stem"/> + <paramref name="extension"/>, or with -2, -3… when that is taken: an operator's file
    /// (or an earlier recovery) is never overwritten, and the backup's "created" list stays true.
    /// </summary>
    private string FreeName(string stem, string extension)
    {
        for (var i = 1; ; i++)
        {
            var name = i == 1 ? stem + extension : $"{stem}-{i}{extension}";
            if (!Path.Exists(Path.Combine(Options.ConfDir, name)))
            {
                return name;
            }
        }
    }

    private PrimarySelection Select(CancellationToken cancellationToken) => generator.SelectPrimary(cancellationToken);

    private static UnixFileMode? ModeOf(string path) => File.Exists(path) ? File.GetUnixFileMode(path) : null;

    /// <summary>The name and shape of a recovered config, read from its bytes.</summary>
    private sealed record JsonObjectName(string? Name, bool IsList)
    {
        public static JsonObjectName Of(byte[] json)
        {
            var obj = CniJson.ParseObject(json, "recovered primary");
            return new JsonObjectName(JsonScalars.String(obj["name"]), obj.ContainsKey("plugins"));
        }
    }
}
