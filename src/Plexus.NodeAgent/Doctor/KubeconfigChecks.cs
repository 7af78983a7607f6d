using System.Text.Json.Nodes;
using Plexus.Cni.Json;
using Plexus.NodeAgent.Selection;

namespace Plexus.NodeAgent.Doctor;

/// <summary>Kubeconfigs referenced by any config (a <c>kubeconfig</c> key at any depth) must not be world-readable.</summary>
public static class KubeconfigChecks
{
    /// <param name="modeOf">The file's mode, or null when it does not exist.</param>
    public static IReadOnlyList<Finding> Check(PrimarySelection selection, IEnumerable<string> extraPaths, Func<string, UnixFileMode?> modeOf)
    {
        var findings = new List<Finding>();
        var own = OwnKubeconfig(selection);
        foreach (var (file, path) in Referenced(selection, extraPaths))
        {
            var mode = modeOf(path);
            if (mode is null && path == own)
            {
                findings.Add(new(FindingSeverity.Error, "kubeconfig-missing", file,
                    $"kubeconfig {path} does not exist, so every pod ADD fails: `plexus config watch` writes it from the service-account " +
                    "token and ca.crt (--service-account-dir) once it knows the API server (--kube-server or the in-cluster env); " +
                    "or pass --kubeconfig-path naming an existing kubeconfig and generate again"));
            }
            else if (mode is null)
            {
                // Another plugin's credentials: that plugin reports what it needs; this host may not be where it is read.
                findings.Add(new(FindingSeverity.Info, "kubeconfig-missing", file, $"kubeconfig {path} does not exist on this host"));
            }
            else if (IsReadableByOthers(mode.Value))
            {
                findings.Add(new(FindingSeverity.Warning, "kubeconfig-readable", file,
                    $"kubeconfig {path} holds credentials but is readable by group/others (mode {Convert.ToString((int)mode, 8)}); chmod 600 it"));
            }
        }
        return findings;
    }

    /// <summary>
    /// Every kubeconfig path a config refers to, with the config's file name, and the extra paths; each path once.
    /// Plexus's own config comes last, so a kubeconfig of the primary it embeds is named by the primary's file.
    /// </summary>
    public static IEnumerable<(string File, string Path)> Referenced(PrimarySelection selection, IEnumerable<string> extraPaths) =>
        selection.Files
            .Where(f => f.List is not null)
            .OrderBy(f => f.IsOwnOutput)
            .SelectMany(f => Paths(f.List!.Raw).Select(p => (File: f.Name, Path: p)))
            .Concat(extraPaths.Select(p => (File: p, Path: p)))
            .DistinctBy(r => r.Path);

    /// <summary>The kubeconfig Plexus's own config gives the plugin (every ADD reads it); null when it names none.</summary>
    private static string? OwnKubeconfig(PrimarySelection selection) =>
        selection.Files.FirstOrDefault(f => f.IsOwnOutput)?.List?.Raw["plugins"]?[0] is JsonObject plugin
            ? JsonScalars.String(plugin["kubeconfig"])
            : null;

    public static bool IsReadableByOthers(UnixFileMode mode) => (mode & (UnixFileMode.OtherRead | UnixFileMode.GroupRead)) != 0;

    private static IEnumerable<string> Paths(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p =>
            p.Key == "kubeconfig" && JsonScalars.String(p.Value) is { Length: > 0 } path
                ? [path]
                : Paths(p.Value)),
        JsonArray array => array.SelectMany(Paths),
        _ => [],
    };
}
