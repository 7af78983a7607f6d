using Plexus.NodeAgent.Rendering;

namespace Plexus.NodeAgent.Generation;

/// <summary>Where the generator looks and writes, and what it renders.</summary>
public sealed record GeneratorOptions
{
    /// <summary>The runtime's conf dir: Plexus's config goes here.</summary>
    public required string ConfDir { get; init; }

    /// <summary>Where the primary is looked for (Multus's auto-config dir); the conf dir when null.</summary>
    public string? AutoconfigDir { get; init; }

    /// <summary>Only this file name may be the primary (Multus's master CNI file name).</summary>
    public string? PrimaryFileName { get; init; }

    public ConfigSettings Settings { get; init; } = new();

    public string PrimaryDir => AutoconfigDir ?? ConfDir;

    public string OutputPath => Path.Combine(ConfDir, Settings.FileName);
}
