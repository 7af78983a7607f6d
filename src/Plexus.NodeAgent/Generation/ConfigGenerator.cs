using Plexus.Cni.ConfFiles;
using Plexus.Cni.IO;
using Plexus.NodeAgent.Backup;
using Plexus.NodeAgent.IO;
using Plexus.NodeAgent.Rendering;
using Plexus.NodeAgent.Selection;

namespace Plexus.NodeAgent.Generation;

/// <summary>
/// One generation pass over a conf dir: select the primary, render, and bring the dir to that
/// state (atomic 0600 write, no write when equal but the mode put right; then shadowing meta-plugin configs moved to the
/// backup; Plexus's config removed when there is no primary). Safe to run repeatedly.
/// </summary>
public sealed class ConfigGenerator(GeneratorOptions options, BackupStore backup, AgentLog log)
{
    private const UnixFileMode ConfigMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private string? _lastReport;

    // The primary file of the last pass that wrote or confirmed the config, by this agent or one before it: while it is
    // there but does not load, it is being rewritten (flannel truncates, then writes), and the config must not follow it anywhere.
    private readonly ConfigOrigin _origin = new(options.ConfDir, options.OutputPath, log);

    public GeneratorOptions Options => options;

    public GenerateOutcome Generate(CancellationToken cancellationToken)
    {
        // An agent killed mid-write left a temp file beside the config; the runtime ignores it, but it would stay for ever.
        AtomicFile.DeleteStrays(options.OutputPath);
        var selection = Select(cancellationToken);
        return Apply(selection, cancellationToken) with { Selection = selection, Blocking = Blocking(selection), Bypassing = Bypassing(selection) };
    }

    private GenerateOutcome Apply(PrimarySelection selection, CancellationToken cancellationToken)
    {
        var ownName = options.Settings.FileName;
        var shadowing = selection.ShadowingMetaConfigs(ownName).ToList();
        if (_origin.PrimaryPath is { } origin && selection.Files.FirstOrDefault(f => f.IsBroken && Path.GetFullPath(f.Path) == origin) is { } rewriting)
        {
            var held = $"primary {rewriting.Path} does not load ({rewriting.Problem}); {options.OutputPath} left as it is until it does " +
                "(a primary being rewritten, as flannel's cp -f truncates it first); if it stays so, fix or remove it";
            log.Error(held);
            WarnShadowingKept(shadowing);
            return new GenerateOutcome(GenerateStatus.NoPrimary, held);
        }
        if (options.Settings.ReadinessIndicatorFile is { Length: > 0 } indicator && !File.Exists(indicator))
        {
            WarnShadowingKept(shadowing);
            return NoPrimary($"readiness indicator file {indicator} does not exist", selection, cancellationToken);
        }
        if (selection.Primary is not { List: { } primaryList } primary)
        {
            // The reason lists every skipped file, the shadowing ones among them.
            return NoPrimary(selection.NoPrimaryReason, selection, cancellationToken);
        }
        var rendered = ConfigRenderer.Render(primaryList, options.Settings);
        if (rendered.Bytes is null)
        {
            WarnShadowingKept(shadowing);
            return NoPrimary($"cannot use primary {primary.Name}: {rendered.Error}", selection, cancellationToken);
        }
        var current = ReadOwn();
        if (shadowing.Count == 0 && current is not null && current.AsSpan().SequenceEqual(rendered.Bytes))
        {
            var upToDate = $"{options.OutputPath} is up to date (primary {primary.Name})";
            if (FileModeStore.Enforce(options.OutputPath, ConfigMode, cancellationToken) is { } was)
            {
                upToDate += $"; set its mode to {FileModeStore.Octal(ConfigMode)} (was {FileModeStore.Octal(was)})";
                log.Warn(upToDate);
            }
            _origin.Remember(primary.Path, rendered.Bytes);
            return new GenerateOutcome(GenerateStatus.Unchanged, upToDate, primary.Name);
        }
        var backupDir = backup.BeforeChange(options.ConfDir,
            shadowing.Select(s => s.Name).Concat(current is null ? [] : [ownName]),
            current is null ? [ownName] : [], cancellationToken);
        _origin.Remember(primary.Path, rendered.Bytes);
        AtomicFile.WriteAllBytes(options.OutputPath, rendered.Bytes, ConfigMode);
        var message = $"wrote {options.OutputPath} ({rendered.Bytes.Length} bytes) with primary {primary.Name} (network \"{rendered.PrimaryNetworkName}\")";
        log.Info(message);
        // Only now: a crash before this point leaves the shadowing config in use, never the primary without Plexus.
        foreach (var shadow in shadowing)
        {
            File.Delete(shadow.Path);
            log.Warn($"moved {shadow.Path} to backup {backupDir}: {shadow.Problem}; it would load before {ownName} and bypass Plexus");
        }
        return new GenerateOutcome(GenerateStatus.Written, message, primary.Name) { Moved = shadowing };
    }

    /// <summary>
    /// A meta-plugin config that loads before Plexus's is moved to the backup only once Plexus's config is written (see
    /// <see cref="LogSkips"/>, which leaves it to that line); a pass that stops before must still name it.
    /// </summary>
    private void WarnShadowingKept(List<ConfVerdict> shadowing)
    {
        foreach (var shadow in shadowing)
        {
            log.Warn($"{shadow.Path} loads before {options.Settings.FileName} and bypasses Plexus ({shadow.Problem}); " +
                "it is moved to the backup once Plexus's config can be written");
        }
    }

    /// <summary>Removes Plexus's generated config (cleanup on exit); true when there was one.</summary>
    public bool RemoveOwnConfig(CancellationToken cancellationToken)
    {
        if (!File.Exists(options.OutputPath))
        {
            return false;
        }
        backup.BeforeChange(options.ConfDir, [options.Settings.FileName], [], cancellationToken);
        _origin.Forget();
        File.Delete(options.OutputPath);
        return true;
    }

    /// <summary>
    /// The primary and every file's verdict (pure reading, no log). The primary comes only from the primary dir; with a
    /// separate autoconfig dir the conf dir's files are judged too, as what the runtime loads, but never taken (Multus).
    /// </summary>
    public PrimarySelection SelectPrimary(CancellationToken cancellationToken)
    {
        var candidates = ConfDirStore.List(options.PrimaryDir, cancellationToken);
        var confDirFiles = SameDir(options.PrimaryDir, options.ConfDir) ? null : ConfDirStore.List(options.ConfDir, cancellationToken);
        return PrimarySelector.Select(candidates, options.Settings.FileName, options.PrimaryFileName, confDirFiles);
    }

    private PrimarySelection Select(CancellationToken cancellationToken)
    {
        var selection = SelectPrimary(cancellationToken);
        LogSkips(selection);
        return selection;
    }

    private void LogSkips(PrimarySelection selection)
    {
        var ownName = options.Settings.FileName;
        var blocking = Blocking(selection);
        var bypassing = Bypassing(selection);
        // Each file once: one that loads before Plexus's config is reported as such below, or when it is moved to the backup.
        var loadsBefore = blocking.Concat(bypassing).Concat(selection.ShadowingMetaConfigs(ownName)).ToList();
        var lines = selection.Skipped.Where(v => !v.IsOwnOutput && !loadsBefore.Contains(v)).Select(v => $"skipped {v.Path}: {v.Problem}").ToList();
        var errors = blocking
            .Select(v => $"{v.Path} loads before {ownName} but the runtime cannot load it ({v.Problem}): containerd stops at it, so the node " +
                "stays NotReady; remove it, or run `plexus doctor --fix`, which moves it to the backup dir")
            .ToList();
        var bypassWarnings = bypassing
            .Select(f => $"{f.Path} loads before {ownName}: the runtime will use it instead of Plexus; rename it to sort later or pass a --config-file-name that sorts first")
            .ToList();
        var report = string.Join("\n", lines.Concat(bypassWarnings).Concat(errors)) + "|" + selection.Primary?.Path;
        if (report == _lastReport)
        {
            return;
        }
        _lastReport = report;
        // A skipped file is a warning: it may be the config the operator meant to be the primary.
        lines.ForEach(log.Warn);
        bypassWarnings.ForEach(log.Warn);
        errors.ForEach(log.Error);
        if (selection.Primary is { } p)
        {
            log.Info($"primary CNI config: {p.Path}");
        }
    }

    /// <summary>
    /// Unloadable files before Plexus's config in the runtime's dir. They are reported, not moved: one may be a file
    /// another agent is writing in place right now; `plexus doctor --fix`, run by an operator, moves them.
    /// </summary>
    private List<ConfVerdict> Blocking(PrimarySelection selection) => selection.UnloadableBefore(options.Settings.FileName).ToList();

    /// <summary>Configs before Plexus's in the runtime's dir, not meta-plugin ones, that the runtime loads and uses instead.</summary>
    private List<ConfVerdict> Bypassing(PrimarySelection selection) => selection.Files
        .Where(f => f.List is not null && !f.IsMeta && !f.IsOwnOutput && f.InConfDir && ConfFileNames.Compare(f.Name, options.Settings.FileName) < 0)
        .ToList();

    /// <summary>
    /// Nothing to write: Plexus's config is removed only when nothing else the runtime loads would take over (the node
    /// then reports NotReady). Otherwise removing it would hand new pods that config alone, the node still Ready, so it
    /// stays as it was (naming the readiness indicator, ADDs wait for it) and the problem is an error.
    /// </summary>
    private GenerateOutcome NoPrimary(string reason, PrimarySelection selection, CancellationToken cancellationToken)
    {
        var takeover = selection.Files.FirstOrDefault(f => f.InConfDir && !f.IsOwnOutput && (f.List is not null || f.IsMeta));
        if (takeover is not null && File.Exists(options.OutputPath))
        {
            var kept = $"{reason}; kept {options.OutputPath} as it was: without it the runtime would load {takeover.Path} instead, " +
                "and new pods would get none of their other networks";
            log.Error(kept);
            return new GenerateOutcome(GenerateStatus.NoPrimary, kept);
        }
        var removed = RemoveOwnConfig(cancellationToken);
        var message = removed
            ? $"{reason}; removed {options.OutputPath} so the node reports NotReady instead of using a stale network"
            : $"{reason}; nothing written";
        log.Warn(message);
        return new GenerateOutcome(GenerateStatus.NoPrimary, message);
    }

    private byte[]? ReadOwn()
    {
        try
        {
            return File.ReadAllBytes(options.OutputPath);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    private static bool SameDir(string a, string b) =>
        Path.TrimEndingDirectorySeparator(Path.GetFullPath(a)) == Path.TrimEndingDirectorySeparator(Path.GetFullPath(b));
}
