using Plexus.Cni.ConfFiles;

namespace Plexus.NodeAgent.Selection;

/// <summary>The outcome of choosing the primary network: the chosen file (if any) and every file's verdict.</summary>
public sealed record PrimarySelection
{
    public ConfVerdict? Primary { get; init; }

    /// <summary>Every candidate file in load order, with why each one was skipped.</summary>
    public required IReadOnlyList<ConfVerdict> Files { get; init; }

    /// <summary>The files not taken, each with its reason (the caller logs them).</summary>
    public IEnumerable<ConfVerdict> Skipped => Files.Where(f => !ReferenceEquals(f, Primary) && f.Problem is not null);

    /// <summary>
    /// Other meta-plugin configs the runtime would load before <paramref name="ownFileName"/>:
    /// with them in place Plexus's config would never be used.
    /// </summary>
    public IEnumerable<ConfVerdict> ShadowingMetaConfigs(string ownFileName) =>
        Files.Where(f => f.IsMeta && !f.IsOwnOutput && f.InConfDir && ConfFileNames.Compare(f.Name, ownFileName) < 0);

    /// <summary>
    /// Files the runtime reads but cannot load that sort before <paramref name="ownFileName"/> (upstream Multus leaves an
    /// empty 00-multus.conf): containerd stops at them, so Plexus's config is never reached and the node stays NotReady.
    /// </summary>
    public IEnumerable<ConfVerdict> UnloadableBefore(string ownFileName) =>
        Files.Where(f => f.IsUnloadable && !f.IsOwnOutput && f.InConfDir && ConfFileNames.Compare(f.Name, ownFileName) < 0);

    /// <summary>Why there is no primary, for the log and the exit message.</summary>
    public string NoPrimaryReason =>
        Files.Count == 0
            ? "no .conf/.conflist/.json file in the conf dir"
            : "no usable primary CNI config: " + string.Join("; ", Skipped.Select(f => $"{f.Name}: {f.Problem}"));
}
