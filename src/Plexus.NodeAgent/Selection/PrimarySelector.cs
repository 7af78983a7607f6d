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
    public static PrimarySelection Select(IEnumerable<ConfFile> files, string ownFileName, string? explicitPrimary = null)
    {
        var verdicts = files
            .OrderBy(f => f.Name, ConfFileNames.LoadOrder)
            .Select(f => ConfInspector.Inspect(f, ownFileName))
            .Select(v => explicitPrimary is null || v.Name == explicitPrimary || v.Problem is not null
                ? v
                : v with { Problem = $"not the configured primary file {explicitPrimary}" })
            .ToList();
        return new PrimarySelection { Primary = verdicts.FirstOrDefault(v => v.IsUsablePrimary), Files = verdicts };
    }
}
