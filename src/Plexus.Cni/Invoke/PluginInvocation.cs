namespace Plexus.Cni.Invoke;

/// <summary>One run of a plugin executable: what goes into its environment and onto its stdin.</summary>
public sealed record PluginInvocation
{
    /// <summary>Full path of the executable (see <see cref="PluginLocator"/>).</summary>
    public required string PluginPath { get; init; }

    /// <summary>CNI_COMMAND: ADD, DEL, CHECK, GC, STATUS or VERSION.</summary>
    public required string Command { get; init; }

    public string? ContainerId { get; init; }

    public string? NetnsPath { get; init; }

    public string? IfName { get; init; }

    public CniArgs Args { get; init; } = CniArgs.Empty;

    /// <summary>CNI_PATH for the plugin (delegating plugins such as bridge use it to find their IPAM plugin).</summary>
    public IReadOnlyList<string> PluginDirs { get; init; } = [];

    public ReadOnlyMemory<byte> Stdin { get; init; }

    /// <summary>The network the plugin runs for, named in errors; null when unknown (e.g. VERSION).</summary>
    public string? NetworkName { get; init; }

    /// <summary>How errors name this delegate: <c>plugin "bridge" (network "n1")</c>.</summary>
    public string Describe() =>
        NetworkName is null
            ? $"plugin \"{Path.GetFileName(PluginPath)}\""
            : $"plugin \"{Path.GetFileName(PluginPath)}\" (network \"{NetworkName}\")";
}
