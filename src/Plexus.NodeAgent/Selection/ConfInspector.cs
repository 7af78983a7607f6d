using Plexus.Cni;
using Plexus.Cni.ConfFiles;

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
            return verdict with { Problem = verdict.Problem ?? "empty file" };
        }
        try
        {
            var list = ConfFileLoader.Load(file.Name, file.Content);
            var depth = MetaPlugins.NestingDepth(list.Raw);
            var types = MetaPlugins.TypesIn(list.Raw);
            var problem = verdict.Problem
                ?? (depth > 0 ? $"meta-plugin config (contains type {string.Join(", ", types)}, nesting depth {depth})" : null);
            return verdict with { List = list, MetaDepth = depth, MetaTypes = types, Problem = problem };
        }
        catch (CniException e)
        {
            return verdict with { Problem = verdict.Problem ?? e.Message };
        }
    }
}
