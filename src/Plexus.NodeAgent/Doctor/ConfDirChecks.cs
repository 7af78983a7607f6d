using System.Text.Json.Nodes;
using Plexus.Cni.ConfFiles;
using Plexus.Cni.Json;
using Plexus.NodeAgent.Rendering;
using Plexus.NodeAgent.Selection;

namespace Plexus.NodeAgent.Doctor;

/// <summary>
/// Findings about the conf dir's files themselves (pure): self-delegation and nesting, meta-plugins
/// delegating to meta-plugins, oversized or growing files, empty/invalid files, files that shadow
/// Plexus's config, a stale Plexus config, cniVersion mismatches inside a config.
/// </summary>
public static class ConfDirChecks
{
    /// <summary>CNI configs are a few KiB; far beyond that something keeps wrapping or appending.</summary>
    public const long OversizedBytes = 64 * 1024;

    /// <summary>No primary network config to wrap (the reason is the finding's message).</summary>
    public const string NoPrimary = "no-primary";

    /// <summary>Plexus's config no longer wraps the current primary: what every generation pass resolves.</summary>
    public const string StaleConfig = "stale-config";

    /// <summary>A file the runtime loads before Plexus's config: it stops there, or uses that file instead.</summary>
    public const string ShadowsPlexus = "shadows-plexus";

    /// <param name="settings">What generation renders: its file name, and whether it accepts the primary.</param>
    /// <param name="earlierSizes">Sizes of the same file names in older backups (for "growing").</param>
    public static IReadOnlyList<Finding> Check(PrimarySelection selection, ConfigSettings settings, IReadOnlyDictionary<string, long> earlierSizes)
    {
        var ownName = settings.FileName;
        var findings = new List<Finding>();
        foreach (var file in selection.Files)
        {
            findings.AddRange(CheckFile(file, selection, settings, earlierSizes).Select(f => f with { Path = file.Path }));
        }
        if (selection.Primary is null)
        {
            findings.Add(new(FindingSeverity.Error, NoPrimary, "", selection.NoPrimaryReason));
        }
        else if (!selection.Files.Any(f => f.IsOwnOutput))
        {
            // The generator's own check: a primary it cannot render around is no primary at all.
            findings.Add(ConfigRenderer.Render(selection.Primary.List!, settings).Error is { } refused
                ? new(FindingSeverity.Error, NoPrimary, selection.Primary.Name,
                    $"`plexus config generate` refuses it: {refused}; fix that file (or pass the generation flags it needs), then generate")
                : new(FindingSeverity.Info, "not-generated", ownName, $"no Plexus config yet; `plexus config generate` would use {selection.Primary.Name}"));
        }
        return findings;
    }

    private static IEnumerable<Finding> CheckFile(ConfVerdict file, PrimarySelection selection, ConfigSettings settings, IReadOnlyDictionary<string, long> earlierSizes)
    {
        var ownName = settings.FileName;
        if (file.List is null && !file.IsMeta)
        {
            var code = file.Size == 0 && file.Problem == "empty file" ? "empty-file" : "invalid-config";
            yield return new(FindingSeverity.Error, code, file.Name, $"{file.Problem}; the runtime cannot load it: fix or remove it");
            if (selection.UnloadableBefore(ownName).Contains(file))
            {
                yield return new(FindingSeverity.Error, ShadowsPlexus, file.Name,
                    $"loads before {ownName} and the runtime cannot load it: containerd stops at it, so the node stays NotReady; " +
                    "`plexus doctor --fix` moves it to the backup dir");
            }
            yield break;
        }
        if (file.MetaDepth >= 2)
        {
            var outer = file.MetaTypes[0];
            yield return file.SelfDelegating
                ? new(FindingSeverity.Error, "self-delegation", file.Name,
                    $"{outer} config delegates to itself ({file.MetaDepth} levels, the Multus 4.0.2 restart bug); `plexus doctor --fix` unwraps it")
                : new(FindingSeverity.Error, "meta-delegates-to-meta", file.Name,
                    $"{outer} config delegates to another meta-plugin ({string.Join(", ", file.MetaTypes.Skip(1))}); pods would be wrapped twice");
            yield return new(FindingSeverity.Error, "nesting-depth", file.Name, $"{file.MetaDepth} meta-plugin configs nested in each other ({file.Size} bytes); expected 1");
        }
        if (file.Size > OversizedBytes)
        {
            yield return new(FindingSeverity.Warning, "oversized", file.Name, $"{file.Size} bytes (CNI configs are normally a few KiB)");
        }
        if (file.IsMeta && earlierSizes.TryGetValue(file.Name, out var earlier) && file.Size > earlier && !IsWhatGenerationWrites(file, selection, settings))
        {
            yield return new(FindingSeverity.Warning, "growing", file.Name, $"grew from {earlier} bytes (latest backup) to {file.Size} bytes");
        }
        if (!file.IsOwnOutput && file.InConfDir && ConfFileNames.Compare(file.Name, ownName) < 0)
        {
            yield return new(FindingSeverity.Error, ShadowsPlexus, file.Name,
                $"loads before {ownName}, so the runtime uses it instead of Plexus" +
                (file.IsMeta ? "; `plexus config generate` moves it to the backup dir" : "; rename it to sort after Plexus's config"));
        }
        if (file.IsMeta && !file.IsOwnOutput && file.MetaDepth < 2)
        {
            yield return new(FindingSeverity.Warning, "foreign-meta-config", file.Name, $"another meta-plugin config ({string.Join(", ", file.MetaTypes)}); remove it once Plexus replaces it");
        }
        if (file.IsOwnOutput)
        {
            foreach (var finding in CheckOwn(file, selection))
            {
                yield return finding;
            }
        }
        foreach (var mismatch in file.List is null ? [] : VersionMismatches(file.List.Raw))
        {
            yield return new(FindingSeverity.Warning, "cni-version-mismatch", file.Name, mismatch);
        }
    }

    /// <summary>Plexus's config no longer wraps the current primary, so generation would rewrite it.</summary>
    public static bool IsStale(ConfVerdict own, PrimarySelection selection) =>
        selection.Primary?.List is { } primary && !JsonNode.DeepEquals(own.List?.Raw["plugins"]?[0]?["delegates"]?[0], primary.Raw);

    /// <summary>
    /// Plexus's own config, one meta level deep, with exactly the content generation would write now. Larger than in the
    /// backup, it has followed a larger primary (flannel replaced by calico, a truncated file repaired): not nesting, and a
    /// warning there would train operators to ignore the one that catches the Multus 4.0.2 bug.
    /// </summary>
    private static bool IsWhatGenerationWrites(ConfVerdict file, PrimarySelection selection, ConfigSettings settings) =>
        file is { IsOwnOutput: true, MetaDepth: 1, List: { } own }
        && selection.Primary?.List is { } primary
        && ConfigRenderer.Render(primary, settings).Bytes is { } rendered
        && rendered.Length == file.Size
        && JsonNode.DeepEquals(own.Raw, JsonNode.Parse(rendered));

    private static IEnumerable<Finding> CheckOwn(ConfVerdict own, PrimarySelection selection)
    {
        if (IsStale(own, selection))
        {
            yield return new(FindingSeverity.Warning, StaleConfig, own.Name,
                $"its cluster network is not the current primary {selection.Primary!.Name}; run `plexus config generate`");
        }
    }

    /// <summary>Plugins whose own <c>cniVersion</c> differs from their list's (the runtime overrides it silently).</summary>
    private static IEnumerable<string> VersionMismatches(JsonObject list)
    {
        var version = JsonScalars.String(list["cniVersion"]);
        foreach (var plugin in (list["plugins"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (JsonScalars.String(plugin["cniVersion"]) is { } own && own != version)
            {
                yield return $"plugin {MetaPlugins.TypeOf(plugin)} says cniVersion {own} but its list says {version}";
            }
            foreach (var inner in (plugin["delegates"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (JsonScalars.String(inner["cniVersion"]) is { } delegateVersion && delegateVersion != version)
                {
                    yield return $"delegate \"{inner["name"]}\" uses cniVersion {delegateVersion} but the {MetaPlugins.TypeOf(plugin)} config says {version}";
                }
            }
        }
    }
}
