using Plexus.NodeAgent.Selection;

namespace Plexus.NodeAgent.Generation;

public enum GenerateStatus
{
    /// <summary>The config was written (new or changed).</summary>
    Written,

    /// <summary>The config on disk already had these exact bytes; nothing was touched.</summary>
    Unchanged,

    /// <summary>
    /// No usable primary, or a reason not to use it: nothing written. Plexus's config was removed when nothing else the
    /// runtime loads would take over, and kept as it was otherwise.
    /// </summary>
    NoPrimary,
}

/// <summary>What one generation pass did, and why; with the file verdicts it was based on.</summary>
public sealed record GenerateOutcome(GenerateStatus Status, string Message, string? PrimaryFile = null)
{
    public PrimarySelection? Selection { get; init; }

    /// <summary>Files in the conf dir that load before Plexus's config but that the runtime cannot load: containerd stops at them.</summary>
    public IReadOnlyList<ConfVerdict> Blocking { get; init; } = [];

    /// <summary>Configs in the conf dir, not meta-plugin ones, that load before Plexus's config: the runtime uses them instead.</summary>
    public IReadOnlyList<ConfVerdict> Bypassing { get; init; } = [];

    /// <summary>Meta-plugin configs that loaded before Plexus's config, moved to the backup by this pass.</summary>
    public IReadOnlyList<ConfVerdict> Moved { get; init; } = [];
}
