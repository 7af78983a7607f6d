using Plexus.Cni.Config;

namespace Plexus.NodeAgent.Selection;

/// <summary>What one conf dir file is, judged by its content.</summary>
public sealed record ConfVerdict
{
    public required string Name { get; init; }

    public required string Path { get; init; }

    /// <summary>Size on disk; 0 when unreadable.</summary>
    public long Size { get; init; }

    /// <summary>The list form the runtime would execute; null when the file does not load.</summary>
    public NetworkConfigList? List { get; init; }

    /// <summary>How many meta-plugin configs are nested in each other (0: not a meta-plugin config).</summary>
    public int MetaDepth { get; init; }

    /// <summary>Meta-plugin types found in the file, outermost first.</summary>
    public IReadOnlyList<string> MetaTypes { get; init; } = [];

    /// <summary>A meta-plugin config in the file has its own type nested inside it.</summary>
    public bool SelfDelegating { get; init; }

    /// <summary>The cluster network at the bottom of a meta-plugin config's nesting (its bytes), if there is one.</summary>
    public byte[]? InnermostPrimary { get; init; }

    /// <summary>
    /// In the runtime's conf dir, so the runtime loads it; false for a file of a separate autoconfig dir, which is only
    /// looked at for the primary.
    /// </summary>
    public bool InConfDir { get; init; } = true;

    /// <summary>Plexus's own generated file (by configured name).</summary>
    public bool IsOwnOutput { get; init; }

    /// <summary>Why the file cannot be the primary; null when it can.</summary>
    public string? Problem { get; init; }

    /// <summary>
    /// The runtime reads it but cannot load it (empty, not JSON, no type/plugins). containerd stops at the first such
    /// file in load order (go-cni returns its error), so before the network it would use, it keeps the node NotReady.
    /// </summary>
    public bool IsUnloadable { get; init; }

    /// <summary>Does not load at all (unreadable, empty, invalid JSON, no type/plugins).</summary>
    public bool IsBroken => List is null && !IsOwnOutput;

    public bool IsMeta => MetaDepth > 0;

    public bool IsUsablePrimary => Problem is null;
}
