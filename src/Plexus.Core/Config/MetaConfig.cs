using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

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
    public const string DefaultDaemonSocketDir = "/run/multus/";

    [JsonPropertyName("cniVersion")]
    public string? CniVersion { get; init; }

    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("type")]
    public string? Type { get; init; }

    [JsonPropertyName("capabilities")]
    public Dictionary<string, bool>? Capabilities { get; init; }

    [JsonPropertyName("kubeconfig")]
    public string? Kubeconfig { get; init; }

    /// <summary><c>delegates[0]</c> is the cluster network unless <see cref="ClusterNetwork"/> is set.</summary>
    [JsonPropertyName("delegates")]
    public List<JsonObject?>? Delegates { get; init; }

    [JsonPropertyName("clusterNetwork")]
    public string? ClusterNetwork { get; init; }

    [JsonPropertyName("defaultNetworks")]
    public List<string>? DefaultNetworks { get; init; }

    [JsonPropertyName("confDir")]
    public string ConfDir { get; init => field = OrDefault(value, DefaultConfDir); } = DefaultConfDir;

    [JsonPropertyName("cniDir")]
    public string CniDir { get; init => field = OrDefault(value, DefaultCniDir); } = DefaultCniDir;

    [JsonPropertyName("binDir")]
    public string BinDir { get; init => field = OrDefault(value, DefaultBinDir); } = DefaultBinDir;

    [JsonPropertyName("logFile")]
    public string? LogFile { get; init; }

    [JsonPropertyName("logLevel")]
    public string? LogLevel { get; init; }

    /// <summary>Null when unset; see <see cref="EffectiveLogToStderr"/>.</summary>
    [JsonPropertyName("logToStderr")]
    public bool? LogToStderr { get; init; }

    [JsonPropertyName("logOptions")]
    public LogOptions? LogOptions { get; init; }

    [JsonPropertyName("readinessindicatorfile")]
    public string? ReadinessIndicatorFile { get; init; }

    [JsonPropertyName("namespaceIsolation")]
    public bool NamespaceIsolation { get; init; }

    /// <summary>Comma-separated; when set it replaces the default <c>["default"]</c>.</summary>
    [JsonPropertyName("globalNamespaces")]
    public string? GlobalNamespaces { get; init; }

    [JsonPropertyName("systemNamespaces")]
    public List<string>? SystemNamespaces { get; init; }

    [JsonPropertyName("multusNamespace")]
    public string? MultusNamespace { get; init; }

    [JsonPropertyName("retryDeleteOnError")]
    public bool RetryDeleteOnError { get; init; }

    [JsonPropertyName("auxiliaryCNIChainName")]
    public string? AuxiliaryCniChainName { get; init; }

    /// <summary>Capability args the runtime injected (portMappings, bandwidth, ips, mac, …).</summary>
    [JsonPropertyName("runtimeConfig")]
    public JsonObject? RuntimeConfig { get; init; }

    [JsonPropertyName("daemonSocketDir")]
    public string DaemonSocketDir { get; init => field = OrDefault(value, DefaultDaemonSocketDir); } = DefaultDaemonSocketDir;

    // Source-generated deserialization assigns null to init properties missing from the JSON, and
    // Multus treats an empty path as unset: both mean the default.
    private static string OrDefault(string? value, string fallback) => string.IsNullOrEmpty(value) ? fallback : value;

    public IReadOnlyList<string> EffectiveSystemNamespaces => SystemNamespaces ?? ["kube-system"];

    public string EffectiveMultusNamespace =>
        string.IsNullOrEmpty(MultusNamespace) ? DefaultMultusNamespace : MultusNamespace;

    public IReadOnlyList<string> EffectiveGlobalNamespaces =>
        string.IsNullOrWhiteSpace(GlobalNamespaces)
            ? ["default"]
            : GlobalNamespaces.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    public bool EffectiveLogToStderr => LogToStderr ?? true;

    public LogLevel EffectiveLogLevel => LogLevels.Parse(LogLevel) ?? Config.LogLevel.Panic;

    public LogOptions EffectiveLogOptions => LogOptions ?? new LogOptions();
}
