using System.Text.Json.Nodes;
using Plexus.Cni.ConfFiles;
using Plexus.Cni.IO;
using Plexus.Cni.Json;
using Plexus.NodeAgent.Backup;
using Plexus.NodeAgent.Generation;
using Plexus.NodeAgent.Selection;

namespace Plexus.NodeAgent.Doctor;

/// <summary>
/// Examines a conf dir (files, plugin binaries, kubeconfigs) and, on request, repairs it: backs
/// up, moves meta-plugin configs out, recovers the real primary from inside a nested config when
/// no primary file is left, and regenerates Plexus's config.
/// </summary>
public sealed class DoctorRunner(ConfigGenerator generator, BackupStore backup, IPluginProbe probe, IReadOnlyList<string> extraKubeconfigs)
{
    private const UnixFileMode ConfMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private GeneratorOptions Options => generator.Options;

    public DoctorReport Examine(CancellationToken cancellationToken)
    {
        var selection = Select(cancellationToken);
        var findings = new List<Finding>();
        findings.AddRange(ConfDirChecks.Check(selection, Options.Settings.FileName, backup.SavedSizes()));
        findings.AddRange(PluginChecks.Check(selection, probe, cancellationToken));
        findings.AddRange(KubeconfigChecks.Check(selection, extraKubeconfigs.Where(File.Exists), ModeOf));
        return new DoctorReport { ConfDir = Options.ConfDir, Primary = selection.Primary?.Name, Findings = findings };
    }

    /// <summary>Repairs the dir; returns what it did (the caller examines again afterwards).</summary>
    public IReadOnlyList<string> Fix(CancellationToken cancellationToken)
    {
        var selection = Select(cancellationToken);
        var actions = new List<string>();
        var metas = selection.Files.Where(f => f.IsMeta && !f.IsOwnOutput).ToList();
        var recovered = selection.Primary is null ? Recover(selection) : null;
        if (metas.Count == 0 && recovered is null)
        {
            actions.Add(Regenerate(cancellationToken));
            return actions;
        }
        var backupDir = backup.BeforeChange(Options.ConfDir, metas.Select(m => m.Name),
            recovered is null ? [] : [recovered.Value.Name], cancellationToken);
        if (recovered is { } r)
        {
            AtomicFile.WriteAllBytes(Path.Combine(Options.ConfDir, r.Name), r.Content, ConfMode);
            actions.Add($"recovered the real primary from inside {r.From} as {r.Name}");
        }
        foreach (var meta in metas)
        {
            File.Delete(meta.Path);
            actions.Add($"moved {meta.Name} (meta-plugin config, nesting depth {meta.MetaDepth}) to {backupDir}");
        }
        actions.Add(Regenerate(cancellationToken));
        return actions;
    }

    private string Regenerate(CancellationToken cancellationToken) => generator.Generate(cancellationToken).Message;

    /// <summary>The innermost non-meta delegate of the first nested config that has one.</summary>
    private (string Name, byte[] Content, string From)? Recover(PrimarySelection selection)
    {
        foreach (var file in selection.Files.Where(f => f.IsMeta && f.List is not null))
        {
            if (MetaUnwrapper.InnermostPrimary(file.List!.Raw) is not { } primary)
            {
                continue;
            }
            var name = JsonScalars.String(primary["name"]) ?? "primary";
            var safe = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray());
            var extension = primary.ContainsKey("plugins") ? ".conflist" : ".conf";
            var content = Plexus.Cni.Json.CniJson.ToBytes(primary);
            return ($"90-recovered-{safe}{extension}", content, file.Name);
        }
        return null;
    }

    private PrimarySelection Select(CancellationToken cancellationToken) =>
        PrimarySelector.Select(ConfDirStore.List(Options.ConfDir, cancellationToken), Options.Settings.FileName, Options.PrimaryFileName);

    private static UnixFileMode? ModeOf(string path) => File.Exists(path) ? File.GetUnixFileMode(path) : null;
}
