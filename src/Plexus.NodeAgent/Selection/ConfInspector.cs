using Plexus.Cni;
using Plexus.Cni.ConfFiles;
using Plexus.Cni.Json;

namespace Plexus.NodeAgent.Selection;

/// <summary>Judges a conf file by content (pure): loads it as the runtime would and looks for meta-plugins.</summary>
public static class ConfInspector
{
    public static ConfVerdict Inspect(ConfFile file, string ownFileName)
    {
        var verdict = new ConfVerdict { Name = file.Name, Path = file.Path, Size = file.Content?.Length ?? 0 };
        if (file.Content is null)
        {
            return verdict with { Problem = file.Unreadable ?? "unreadable" };
        }
        if (file.Name == ownFileName)
        {
            verdict = verdict with { IsOwnOutput = true, Problem = "Plexus's own generated config" };
        }
        if (file.Content.Length == 0)
        {
            return verdict with { Problem = verdict.Problem ?? "empty file", IsUnloadable = true };
        }
        var scan = MetaScanner.Scan(file.Content);
        var meta = scan.Error is not null ? verdict : verdict with
        {
            MetaDepth = scan.MetaDepth,
            MetaTypes = scan.MetaTypes,
            SelfDelegating = scan.SelfDelegating,
            InnermostPrimary = scan.InnermostPrimary,
            Problem = verdict.Problem ?? (scan.MetaDepth > 0
                ? $"meta-plugin config (contains type {string.Join(", ", scan.MetaTypes)}, nesting depth {scan.MetaDepth})"
                : null),
        };
        var loadable = CniJson.DocumentOptions.MaxDepth;
        if (scan.Error is null && scan.JsonDepth > loadable)
        {
            // Runtimes read it (Go accepts 10000 levels); Plexus's document parser stops at 64, so only the scan can judge it.
            return meta with
            {
                Problem = meta.Problem ?? $"nested {scan.JsonDepth} levels deep; Plexus loads configs of up to {loadable} levels, so it cannot be the primary",
            };
        }
        try
        {
            var list = ConfFileLoader.Load(file.Name, file.Content);
            return meta with { List = list };
        }
        catch (CniException e)
        {
            return verdict with { Problem = verdict.Problem ?? e.Message, IsUnloadable = true };
        }
    }
}
