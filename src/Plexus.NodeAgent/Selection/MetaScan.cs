namespace Plexus.NodeAgent.Selection;

/// <summary>What <see cref="MetaScanner"/> found in a config's bytes.</summary>
public sealed record MetaScan
{
    /// <summary>The deepest JSON nesting (objects and arrays) in the file.</summary>
    public int JsonDepth { get; init; }

    /// <summary>How many meta-plugin configs are nested in each other on the deepest path (0: not a meta-plugin config).</summary>
    public int MetaDepth { get; init; }

    /// <summary>The meta-plugin types found, outermost first, distinct.</summary>
    public IReadOnlyList<string> MetaTypes { get; init; } = [];

    /// <summary>Some meta-plugin config has its own type nested inside it (the Multus 4.0.2 restart bug).</summary>
    public bool SelfDelegating { get; init; }

    /// <summary>
    /// The bytes of the cluster network at the bottom of the nesting (<c>delegates[0]</c> all the way down) when it is
    /// not a meta-plugin config itself; null when there is none.
    /// </summary>
    public byte[]? InnermostPrimary { get; init; }

    /// <summary>Why the bytes are not JSON a runtime would read; null when they are.</summary>
    public string? Error { get; init; }
}
