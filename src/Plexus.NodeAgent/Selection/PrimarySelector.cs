using Plexus.Cni.ConfFiles;

namespace Plexus.NodeAgent.Selection;

/// <summary>
/// Chooses the primary (cluster) network: the first file in the runtime's load order that is a
/// usable, non-meta-plugin config. Pure: files with their bytes in, a decision and reasons out.
/// </summary>
public static class PrimarySelector
{
    /// <param name="files">Candidate files, in any order (they are put in load order).</param>
    /// <param name="ownFileName">Plexus's generated file name, never a primary.</param>
    /// <param name="explicitPrimary">When set, only this file name may be the primary.</param>
    /// <param name="confDirFiles">
    /// With a separate autoconfig dir (where <paramref name="files"/> are): the runtime's conf dir's files, judged for
    /// what the runtime loads but never the primary, as in Multus.
    /// </param>
    public static PrimarySelection Select(IEnumerable<ConfFile> files, string ownFileName, string? explicitPrimary = null,
        IEnumerable<ConfFile>? confDirFiles = null)
    {
        var candidates = files
            .Select(f => ConfInspector.Inspect(f, ownFileName) with { InConfDir = confDirFiles is null })
            .Select(v => explicitPrimary is null || v.Name == explicitPrimary || v.Problem is not null
                ? v
                : v with { Problem = $"not the configured primary file {explicitPrimary}" });
        var runtimeOnly = (confDirFiles ?? [])
            .Select(f => ConfInspector.Inspect(f, ownFileName))
            .Select(v => v.Problem is not null ? v : v with { Problem = "in the conf dir, not the autoconfig dir: the primary is only taken from there" });
        var verdicts = candidates.Concat(runtimeOnly).OrderBy(v => v.Name, ConfFileNames.LoadOrder).ToList();
        return new PrimarySelection { Primary = verdicts.FirstOrDefault(v => v.IsUsablePrimary), Files = verdicts };
    }
}
