using System.Text.Json.Nodes;

namespace Plexus.Core.Config;

/// <summary>
/// The meta-plugin's network configuration: every key of the Multus <c>NetConf</c>, with
/// Multus's defaults. Delegates and the runtime's capability args stay opaque JSON so that
/// keys Plexus does not know reach the delegates unchanged.
/// </summary>
internal sealed record MetaConfig
{
    public const string DefaultConfDir = "/etc/cni/multus/net.d";
    public const string DefaultCniDir = "/var/lib/cni/multus";
    public const string DefaultBinDir = "/opt/cni/bin";
    public const string DefaultMultusNamespace = "kube-system";

    public string? CniVersion { get; init; }

    public string? Name { get; init; }

    public string? Type { get; init; }

    public Dictionary<string, bool>? Capabilities { get; init; }

    public string? Kubeconfig { get; init; }

    /// <summary><c>delegates[0]</c> is the cluster network unless <see cref="ClusterNetwork"/> is set.</summary>
    public List<JsonObject?>? Delegates { get; init; }

    public string? ClusterNetwork { get; init; }

    public List<string>? DefaultNetworks { get; init; }

    public string ConfDir { get; init => field = OrDefault(value, DefaultConfDir); } = DefaultConfDir;

    public string CniDir { get; init => field = OrDefault(value, DefaultCniDir); } = DefaultCniDir;

    public string BinDir { get; init => field = OrDefault(value, DefaultBinDir); } = DefaultBinDir;

    public string? LogFile { get; init; }

    public string? LogLevel { get; init; }

    /// <summary>Null when unset; see <see cref="EffectiveLogToStderr"/>.</summary>
    public bool? LogToStderr { get; init; }

    public LogOptions? LogOptions { get; init; }

    public string? ReadinessIndicatorFile { get; init; }

    public bool NamespaceIsolation { get; init; }

    /// <summary>Comma-separated; when set it replaces the default <c>["default"]</c>.</summary>
    public string? GlobalNamespaces { get; init; }

    public List<string>? SystemNamespaces { get; init; }

    public string? MultusNamespace { get; init; }

    public bool RetryDeleteOnError { get; init; }

    public string? AuxiliaryCniChainName { get; init; }

    /// <summary>Capability args the runtime injected (portMappings, bandwidth, ips, mac, …).</summary>
    public JsonObject? RuntimeConfig { get; init; }

    // Multus treats an empty path as unset, like a missing one: both mean the default.
    private static string OrDefault(string? value, string fallback) => string.IsNullOrEmpty(value) ? fallback : value;

    // Multus: an empty list is the default too, not "no system namespaces".
    public IReadOnlyList<string> EffectiveSystemNamespaces => SystemNamespaces is { Count: > 0 } given ? given : ["kube-system"];

    public string EffectiveMultusNamespace =>
        string.IsNullOrEmpty(MultusNamespace) ? DefaultMultusNamespace : MultusNamespace;

    public IReadOnlyList<string> EffectiveGlobalNamespaces =>
        string.IsNullOrWhiteSpace(GlobalNamespaces)
            ? ["default"]
            : GlobalNamespaces.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    public bool EffectiveLogToStderr => LogToStderr ?? true;

    /// <summary>The config's <c>logLevel</c>, or <paramref name="unset"/> when it sets none (<see cref="Service.MetaPluginHost.DefaultLogLevel"/>).</summary>
    public LogLevel LogLevelOr(LogLevel unset) => LogLevels.Parse(LogLevel) ?? unset;

    public LogOptions EffectiveLogOptions => LogOptions ?? new LogOptions();
}
