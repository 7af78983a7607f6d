using System.Net;
using System.Text.Json.Nodes;
using System.Text.Json;
using Plexus.Cni;
using Plexus.Cni.Json;
using Plexus.Core.Config;
using Plexus.Core.Service;
using Plexus.Daemon.Protocol;
using Plexus.NodeAgent.Generation;
using Plexus.NodeAgent.Rendering;

namespace Plexus.Daemon.Config;

/// <summary>
/// Reads plexusd's JSON config (deploy/thick/configmap.yaml), or a Multus daemon config as it is. Every problem is
/// collected and reported together, naming the key. Its meta-plugin keys become the overlay set over every request;
/// other unknown keys are ignored.
/// </summary>
public static class DaemonSettingsParser
{
    /// <summary><c>sockaddr_un.sun_path</c> less its terminating NUL.</summary>
    private const int MaxSocketPathBytes = 107;

    /// <summary>
    /// Counts beyond this are typos: <see cref="DaemonOptions.MaxConnections"/> and the pool's thread floor multiply them,
    /// and must not overflow.
    /// </summary>
    private const int MaxCount = 100_000;

    /// <summary>Waits beyond a day are typos; the timers behind them take at most about 49 days, a TimeSpan 29 000 years.</summary>
    private const double MaxSeconds = 86_400;

    public static (DaemonSettings? Settings, IReadOnlyList<string> Errors) Parse(ReadOnlySpan<byte> json, Func<string, string?> environment)
    {
        var errors = new List<string>();
        JsonObject root;
        try
        {
            // A repeated key is refused here, as in every config Plexus reads (it would otherwise throw on first access).
            root = JsonNode.Parse(json, documentOptions: CniJson.DocumentOptions) as JsonObject ?? throw new JsonException("not a JSON object");
        }
        catch (JsonException e)
        {
            return (null, [$"not valid JSON: {e.Message}"]);
        }
        var defaults = new DaemonOptions();
        var reader = new Reader(root, errors);
        var server = new DaemonOptions
        {
            // "" is unset, as for binDir and cniDir and as the shim reads it (a Helm value left empty renders "").
            SocketDir = SocketDir(NonEmpty(reader.String("socketDir")) ?? NonEmpty(reader.String("daemonSocketDir")) ?? DaemonEndpoints.DefaultSocketDir, errors),
            SocketName = SocketName(reader.String("socketName"), errors),
            MaxInFlight = reader.Int("maxInFlight") ?? defaults.MaxInFlight,
            MaxQueued = reader.Int("maxQueued", allowZero: true) ?? defaults.MaxQueued,
            QueueTimeout = reader.Seconds("queueTimeoutSeconds") ?? defaults.QueueTimeout,
            RequestTimeout = reader.Seconds("requestTimeoutSeconds") ?? defaults.RequestTimeout,
            DrainTimeout = reader.Seconds("drainTimeoutSeconds") ?? defaults.DrainTimeout,
            MetricsEndpoint = Endpoint(reader.String("metricsAddress"), defaults.MetricsEndpoint, errors),
            MetricsMaxConnections = reader.Int("metricsMaxConnections") ?? defaults.MetricsMaxConnections,
            MetricsHeadTimeout = reader.Seconds("metricsHeadTimeoutSeconds") ?? defaults.MetricsHeadTimeout,
            JsonLogs = reader.Bool("jsonLogs") ?? false,
        };
        if (System.Text.Encoding.UTF8.GetByteCount(server.SocketPath) > MaxSocketPathBytes)
        {
            errors.Add($"\"socketDir\" and \"socketName\" make the socket path {server.SocketPath}, longer than the {MaxSocketPathBytes} bytes a unix socket allows: choose a shorter socketDir");
        }
        // Multus's daemon config names the node's CNI config dir cniConfigDir (where 00-multus.conf goes) and
        // multusAutoconfigDir (where the primary is read); plexusd's own key is confDir.
        // In a Multus daemon config confDir is the meta-plugin's NAD file dir, so cniConfigDir comes first.
        var confDir = NonEmpty(reader.String("cniConfigDir")) ?? reader.String("confDir") ?? "/etc/cni/net.d";
        var autoconfigDir = NonEmpty(reader.String("multusAutoconfigDir"));
        var binDir = NonEmpty(reader.String("binDir")) ?? HotPlugSettings.DefaultBinDir;
        var cniDir = NonEmpty(reader.String("cniDir")) ?? HotPlugSettings.DefaultCniDir;
        var generate = reader.Bool("generateConfig") ?? MultusConfigFileIsAuto(reader.String("multusConfigFile"), errors);
        var cniVersion = CniVersionKey(reader.String("cniVersion"), errors);
        var generator = generate
            ? new GeneratorOptions
            {
                ConfDir = confDir,
                AutoconfigDir = autoconfigDir == confDir ? null : autoconfigDir,
                PrimaryFileName = NonEmpty(reader.String("multusMasterCNI")),
                Settings = new ConfigSettings
                {
                    PluginType = "plexus-shim",
                    CniVersion = cniVersion,
                    ForceCniVersion = reader.Bool("forceCNIVersion") ?? false,
                    OverrideNetworkName = reader.Bool("overrideNetworkName") ?? false,
                    // Requests log at plexusd's level anyway (the overlay below, or its default when it sets none); the
                    // generated file names it too, for whoever reads it.
                    LogLevel = reader.String("logLevel"),
                    LogFile = NonEmpty(reader.String("logFile")),
                    LogToStderr = reader.Bool("logToStderr"),
                    NamespaceIsolation = reader.Bool("namespaceIsolation") ?? false,
                    GlobalNamespaces = NonEmpty(reader.String("globalNamespaces")),
                    BinDir = binDir,
                    CniCacheDir = cniDir,
                    ReadinessIndicatorFile = NonEmpty(reader.String("readinessindicatorfile")),
                    Kubeconfig = reader.String("kubeconfig"),
                    // The shim must find this daemon; the default needs no key, like Multus's generated config.
                    DaemonSocketDir = server.SocketDir == DaemonEndpoints.DefaultSocketDir ? null : server.SocketDir,
                    DaemonSocketName = server.SocketName == DaemonEndpoints.SocketFileName ? null : server.SocketName,
                },
            }
            : null;
        var (overlay, overlayErrors) = Plexus.Core.Config.MetaConfigOverlay.From(root, withReadiness: generator is null);
        var settings = new DaemonSettings
        {
            Server = server,
            Kubeconfig = reader.String("kubeconfig"),
            ChrootDir = ChrootDir(reader.String("chrootDir"), errors),
            NodeName = reader.String("nodeName") ?? environment("NODE_NAME"),
            Generator = generator,
            // The generated config names the readiness file, so every request carries it (Multus skips it then too).
            RequestOverlay = overlay,
            CleanupConfigOnExit = reader.Bool("cleanupConfigOnExit") ?? true,
            BackupDir = reader.String("backupDir") ?? new DaemonSettings { Server = server }.BackupDir,
            BinDir = binDir,
            CniDir = cniDir,
            LogLevel = reader.String("logLevel") is { } level
                ? LogLevels.Parse(level) ?? reader.Refuse("logLevel", $"\"logLevel\" must be panic, error, verbose or debug, not \"{level}\"", LogLevel.Verbose)
                : LogLevel.Verbose,
        };
        // A key plexusd's own readers already refused is named once.
        errors.AddRange(overlayErrors.Where(e => !reader.Refused(e.Key)).Select(e => e.Message));
        return errors.Count == 0 ? (settings, errors) : (null, errors);
    }

    private static string SocketName(string? name, List<string> errors)
    {
        if (name is null)
        {
            return DaemonEndpoints.SocketFileName;
        }
        if (!DaemonEndpoints.IsPlainSocketName(name))
        {
            errors.Add($"\"socketName\" must be a plain file name such as multus.sock (no '/', not ending in .lock), not \"{name}\"");
            return DaemonEndpoints.SocketFileName;
        }
        return name;
    }

    /// <summary>
    /// Multus's <c>multusConfigFile</c>: <c>auto</c> generates the config (plexusd's <c>generateConfig</c>); a file
    /// path, which Multus copies into the conf dir, is refused rather than silently leaving the node without a config.
    /// </summary>
    private static bool MultusConfigFileIsAuto(string? value, List<string> errors)
    {
        if (string.IsNullOrEmpty(value) || value == "auto")
        {
            return value == "auto";
        }
        errors.Add($"\"multusConfigFile\" must be \"auto\" (or use \"generateConfig\"): plexusd does not copy a hand-written config into the conf dir; put \"{value}\" there yourself");
        return false;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>Relative, it would depend on plexusd's working directory, which the shim cannot know.</summary>
    private static string SocketDir(string dir, List<string> errors)
    {
        if (!Path.IsPathRooted(dir) || dir.Contains('\0', StringComparison.Ordinal))
        {
            errors.Add($"\"socketDir\" must be an absolute path such as {DaemonEndpoints.DefaultSocketDir}, not \"{dir}\"");
        }
        return dir;
    }

    /// <summary>Checked at start: the generator would otherwise refuse every pass and leave the node NotReady with a running daemon.</summary>
    private static string? CniVersionKey(string? version, List<string> errors)
    {
        if (string.IsNullOrEmpty(version) || (CniVersion.TryParse(version, out var parsed) && parsed.IsSupported))
        {
            return version;
        }
        errors.Add($"\"cniVersion\" must be a CNI version Plexus supports ({string.Join(", ", CniVersion.Supported)}) or absent for the primary's, not \"{version}\"");
        return null;
    }

    /// <summary>Empty is Multus's default (no chroot); a relative path would depend on plexusd's working directory.</summary>
    private static string? ChrootDir(string? dir, List<string> errors)
    {
        if (string.IsNullOrEmpty(dir))
        {
            return null;
        }
        if (!Path.IsPathRooted(dir) || dir.Contains('\0', StringComparison.Ordinal))
        {
            errors.Add($"\"chrootDir\" must be an absolute path such as /hostroot (the node's / mounted in the container), not \"{dir}\"");
            return null;
        }
        return dir;
    }

    /// <summary><c>host:port</c>; empty or <c>off</c> disables the metrics listener.</summary>
    private static IPEndPoint? Endpoint(string? text, IPEndPoint? fallback, List<string> errors)
    {
        if (text is null)
        {
            return fallback;
        }
        if (text.Length == 0 || text == "off")
        {
            return null;
        }
        if (IPEndPoint.TryParse(text, out var endpoint) && endpoint.Port > 0)
        {
            return endpoint;
        }
        errors.Add($"metricsAddress \"{text}\": expected IP:port such as 127.0.0.1:9464, or \"off\"");
        return fallback;
    }

    /// <summary>Reads plexusd's keys, each problem reported once per key however often the key is read.</summary>
    private sealed class Reader(JsonObject root, List<string> errors)
    {
        private readonly HashSet<string> _refused = [];

        public bool Refused(string key) => _refused.Contains(key);

        /// <summary>Reports <paramref name="error"/> unless <paramref name="key"/> was refused already; <paramref name="fallback"/> is read instead.</summary>
        public T Refuse<T>(string key, string error, T fallback)
        {
            if (_refused.Add(key))
            {
                errors.Add(error);
            }
            return fallback;
        }

        public string? String(string key) => JsonScalars.String(Get(key, JsonValueKind.String, "a string"));

        public bool? Bool(string key) =>
            JsonScalars.Bool(root[key]) ?? Missing<bool>(key, "true or false");

        public int? Int(string key, bool allowZero = false) =>
            JsonScalars.Int(Get(key, JsonValueKind.Number, "a number")) is { } n && (n > 0 || (allowZero && n == 0)) && n <= MaxCount
                ? n
                : Missing<int>(key, $"a whole number {(allowZero ? ">= 0" : "> 0")} and at most {MaxCount}", present: root[key] is not null);

        public TimeSpan? Seconds(string key) =>
            Get(key, JsonValueKind.Number, "a number of seconds") is { } v && v.TryGetValue<double>(out var s) && s > 0 && s <= MaxSeconds
                ? TimeSpan.FromSeconds(s)
                : Missing<TimeSpan>(key, $"a number of seconds > 0 and at most {MaxSeconds} (a day)", present: root[key] is not null);

        private JsonValue? Get(string key, JsonValueKind kind, string expected)
        {
            var node = root[key];
            if (node is null)
            {
                return null;
            }
            if (node is JsonValue value && value.GetValueKind() == kind)
            {
                return value;
            }
            return Refuse<JsonValue?>(key, $"\"{key}\" must be {expected}, not {node.ToJsonString()}", null);
        }

        private T? Missing<T>(string key, string expected, bool? present = null)
            where T : struct
        {
            var node = root[key];
            return (present ?? node is not null) && node is not null
                ? Refuse<T?>(key, $"\"{key}\" must be {expected}, not {node.ToJsonString()}", null)
                : null;
        }
    }
}
