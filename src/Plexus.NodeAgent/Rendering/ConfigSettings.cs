namespace Plexus.NodeAgent.Rendering;

/// <summary>
/// What goes into Plexus's generated config besides the primary. Keys mirror Multus's NetConf so
/// the plugin reads them the same way; defaults are upstream's.
/// </summary>
public sealed record ConfigSettings
{
    public const string DefaultFileName = "00-plexus.conflist";

    public string FileName { get; init; } = DefaultFileName;

    /// <summary><c>plexus</c> (thin) or <c>plexus-shim</c> (thick).</summary>
    public string PluginType { get; init; } = "plexus";

    public string NetworkName { get; init; } = "plexus-cni-network";

    /// <summary>Use the primary's network name instead of <see cref="NetworkName"/>.</summary>
    public bool OverrideNetworkName { get; init; }

    /// <summary>Requested cniVersion; must equal the primary's unless <see cref="ForceCniVersion"/>.</summary>
    public string? CniVersion { get; init; }

    public bool ForceCniVersion { get; init; }

    public string? Kubeconfig { get; init; }

    public string NetConfDir { get; init; } = "/etc/cni/multus/net.d";

    public string CniCacheDir { get; init; } = "/var/lib/cni/multus";

    public string BinDir { get; init; } = "/opt/cni/bin";

    public bool NamespaceIsolation { get; init; }

    public string? GlobalNamespaces { get; init; }

    public string? LogLevel { get; init; }

    public string? LogFile { get; init; }

    public bool? LogToStderr { get; init; }

    public string? ReadinessIndicatorFile { get; init; }

    /// <summary>Thick mode: where plexus-shim finds plexusd's socket; null leaves the shim's default.</summary>
    public string? DaemonSocketDir { get; init; }

    /// <summary>Thick mode: the socket's file name in that dir; null leaves the shim's default (plexus.sock).</summary>
    public string? DaemonSocketName { get; init; }
}
