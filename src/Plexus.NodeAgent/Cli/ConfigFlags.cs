using Plexus.NodeAgent.Generation;
using Plexus.NodeAgent.Kubeconfig;
using Plexus.Cni.ConfFiles;
using Plexus.NodeAgent.Rendering;
using Plexus.NodeAgent.Selection;

namespace Plexus.NodeAgent.Cli;

/// <summary>
/// The flags of <c>plexus config generate|watch</c> (and of the bare Multus-style entrypoint),
/// with Multus's thin-entrypoint names (compat.md §5) as aliases, and what they build.
/// </summary>
internal static class ConfigFlags
{
    public const string DefaultConfDir = "/etc/cni/net.d";
    public const string DefaultBackupDir = "/var/lib/plexus/backups";

    /// <summary>The kubeconfig the config names when an API server is known and no path is given (a host path).</summary>
    public const string DefaultKubeconfigHostPath = "/etc/cni/net.d/plexus.d/plexus.kubeconfig";

    /// <summary>
    /// The flags that decide what is generated, where, and where backups go: shared with <c>plexus doctor</c>,
    /// whose <c>--fix</c> regenerates.
    /// </summary>
    public static IReadOnlyList<FlagSpec> Generation { get; } =
    [
        new("conf-dir", false, "CNI conf dir the runtime reads; Plexus's config goes here", "cni-conf-dir"),
        new("autoconfig-dir", false, "dir to find the primary config in (default: --conf-dir)", "multus-autoconfig-dir"),
        new("primary-conf-file", false, "only this file name may be the primary", "multus-master-cni-file-name"),
        new("multus-conf-file", false, "must be \"auto\": Plexus always generates its config"),
        new("config-file-name", false, "generated file name (default 00-plexus.conflist)"),
        new("mode", false, "thin (type plexus) or thick (type plexus-shim)"),
        new("cni-version", false, "cniVersion of the generated config (default: the primary's)"),
        new("force-cni-version", true, "use --cni-version even when the primary's differs"),
        new("kubeconfig-path", false, "kubeconfig path the config names, as the node sees it (default with an API server: "
            + DefaultKubeconfigHostPath + ")", "multus-kubeconfig-file-host"),
        new("kubeconfig-file", false, "where the agent sees that kubeconfig, with --kubeconfig-path (default <conf-dir>/<its dir's name>/<its name>)"),
        new("service-account-dir", false, "service-account token and ca.crt dir"),
        new("kube-server", false, "API server URL (default from KUBERNETES_SERVICE_HOST/PORT)"),
        new("namespace-isolation", true, "pods may only use NADs of their own namespace"),
        new("global-namespaces", false, "comma-separated namespaces every pod may use"),
        new("log-level", false, "plugin log level: panic, error, verbose, debug", "multus-log-level"),
        new("log-file", false, "plugin log file", "multus-log-file"),
        new("log-to-stderr", true, "plugin logs to stderr", "multus-log-to-stderr"),
        new("network-name", false, "name of the generated network (default plexus-cni-network)"),
        new("override-network-name", true, "use the primary's network name"),
        new("readiness-indicator-file", false, "write the config only once this file exists; ADDs wait for it"),
        new("bin-dir", false, "binDir written into the config", "additional-bin-dir"),
        new("net-conf-dir", false, "confDir written into the config (on-disk NAD configs)"),
        new("cni-cache-dir", false, "cniDir written into the config (delegate cache)"),
        new("backup-dir", false, "where backups of the conf dir go (default " + DefaultBackupDir + ")"),
    ];

    /// <summary>Every flag of <c>config generate|watch</c> and the Multus-style entrypoint.</summary>
    public static IReadOnlyList<FlagSpec> All { get; } =
    [
        .. Generation,
        new("cleanup-config-on-exit", true, "remove the generated config on SIGTERM/SIGINT"),
        new("skip-config-watch", true, "generate once, then only wait for a signal (exit 1 at once without a usable primary)"),
        new("rename-conf-file", true, "accepted for Multus compatibility; Plexus never renames the primary"),
        new("install-dir", false, "host CNI bin dir the entrypoint installs into", "cni-bin-dir"),
        new("skip-multus-binary-copy", true, "entrypoint: do not install binaries"),
        new("multus-bin-file", false, "entrypoint: binary to install (default: this plexus binary)"),
    ];

    /// <summary>
    /// Builds the generator options, or a usage error. A setting without its flag comes from
    /// <paramref name="baseline"/> (the doctor passes the settings of the config already in the dir),
    /// otherwise from the defaults.
    /// </summary>
    public static (GeneratorOptions? Options, string? Error) Generator(ParsedFlags flags, ConfigSettings? baseline = null)
    {
        if (flags.Get("multus-conf-file") is { } confFile && confFile != "auto")
        {
            return (null, $"--multus-conf-file={confFile}: only \"auto\" is supported; Plexus generates its config from the primary");
        }
        var mode = flags.Get("mode");
        if (mode is not (null or "thin" or "thick"))
        {
            return (null, $"--mode must be thin or thick, not \"{mode}\"");
        }
        if (ValueProblem(flags) is { } problem)
        {
            return (null, problem);
        }
        var current = baseline ?? new ConfigSettings();
        var settings = current with
        {
            FileName = flags.Get("config-file-name") ?? current.FileName,
            PluginType = mode switch { "thick" => "plexus-shim", "thin" => "plexus", _ => current.PluginType },
            NetworkName = flags.Get("network-name") ?? current.NetworkName,
            OverrideNetworkName = Bool(flags, "override-network-name") ?? current.OverrideNetworkName,
            CniVersion = flags.Get("cni-version") ?? current.CniVersion,
            ForceCniVersion = Bool(flags, "force-cni-version") ?? current.ForceCniVersion,
            Kubeconfig = Absolute(flags.Get("kubeconfig-path")) ?? current.Kubeconfig,
            NetConfDir = Absolute(flags.Get("net-conf-dir")) ?? current.NetConfDir,
            CniCacheDir = Absolute(flags.Get("cni-cache-dir")) ?? current.CniCacheDir,
            BinDir = flags.Get("bin-dir") ?? current.BinDir,
            NamespaceIsolation = Bool(flags, "namespace-isolation") ?? current.NamespaceIsolation,
            GlobalNamespaces = flags.Get("global-namespaces") ?? current.GlobalNamespaces,
            LogLevel = flags.Get("log-level") ?? current.LogLevel,
            LogFile = Absolute(flags.Get("log-file")) ?? current.LogFile,
            LogToStderr = Bool(flags, "log-to-stderr") ?? current.LogToStderr,
            ReadinessIndicatorFile = Absolute(flags.Get("readiness-indicator-file")) ?? current.ReadinessIndicatorFile,
        };
        if (!ConfigFileNameIsLoadable(settings.FileName))
        {
            return (null, $"--config-file-name {settings.FileName}: must end in .conflist so the runtime loads it as a list");
        }
        var confDir = flags.Get("conf-dir") ?? DefaultConfDir;
        return (new GeneratorOptions
        {
            ConfDir = confDir,
            AutoconfigDir = flags.Get("autoconfig-dir"),
            PrimaryFileName = flags.Get("primary-conf-file"),
            Settings = settings,
        }, null);
    }

    /// <summary>
    /// What <c>config generate|watch</c> and <c>doctor</c> run with: the generator options (see <see cref="Generator"/>) and
    /// the kubeconfig the agent keeps fresh, which is the very file the config names; or a usage error.
    /// </summary>
    /// <remarks>
    /// The config names the kubeconfig as the node sees it, since the runtime runs the plugin there. The agent sees the
    /// node's conf dir at <c>--conf-dir</c> and, as Multus does with <c>&lt;conf dir&gt;/multus.d/multus.kubeconfig</c>,
    /// takes the kubeconfig's dir to be a dir of that conf dir: it writes <c>--conf-dir/&lt;dir name&gt;/&lt;name&gt;</c>
    /// unless <c>--kubeconfig-file</c> says where it sees the file.
    /// </remarks>
    public static (GeneratorOptions? Options, KubeconfigOptions? Kubeconfig, string? Error) Agent(
        ParsedFlags flags, Func<string, string?> environment, ConfigSettings? baseline = null)
    {
        var (options, error) = Generator(flags, baseline);
        if (options is null)
        {
            return (null, null, error);
        }
        if (NameTaken(options) is { } taken)
        {
            return (null, null, taken);
        }
        var written = Absolute(flags.Get("kubeconfig-file"));
        if (written is not null && options.Settings.Kubeconfig is null)
        {
            return (null, null, $"--kubeconfig-file {written} needs --kubeconfig-path (--multus-kubeconfig-file-host): the path the node sees " +
                "that file at, which the config names (the plugin runs on the node, not in this container)");
        }
        var server = flags.Get("kube-server")
            ?? KubeconfigRenderer.ServerFromEnvironment(environment("KUBERNETES_SERVICE_HOST"), environment("KUBERNETES_SERVICE_PORT"));
        // With an API server the agent maintains the kubeconfig, so the config names it even while the token is not there
        // yet: ADDs then fail until it is (the refresher warns), instead of silently attaching no pod networks for good.
        var hostPath = options.Settings.Kubeconfig ?? (server is null ? null : DefaultKubeconfigHostPath);
        var kubeconfig = new KubeconfigOptions
        {
            OutputPath = written ?? ThroughConfDir(hostPath ?? DefaultKubeconfigHostPath, options.ConfDir),
            ServiceAccountDir = flags.Get("service-account-dir") ?? KubeconfigOptions.DefaultServiceAccountDir,
            Server = server,
        };
        return (options with { Settings = options.Settings with { Kubeconfig = hostPath } }, kubeconfig, null);
    }

    // A config of that name that some runtime loads and that is not Plexus's (judged by content) is another network's:
    // Plexus would overwrite it, or remove it as its own when there is no primary.
    private static string? NameTaken(GeneratorOptions options)
    {
        foreach (var dir in new[] { options.ConfDir, options.PrimaryDir }.Distinct())
        {
            var path = Path.Combine(dir, options.Settings.FileName);
            if (!Path.Exists(path))
            {
                continue;
            }
            // No own name: the content alone decides.
            var file = ConfInspector.Inspect(ConfDirStore.Read(path), ownFileName: "");
            var holds = file.MetaTypes.FirstOrDefault() is { } meta ? (meta is "plexus" or "plexus-shim" ? null : $"a {meta} config")
                : file.List is { } list ? $"the \"{list.Name}\" network's config"
                : null;
            if (holds is not null)
            {
                return $"--config-file-name {options.Settings.FileName}: {path} holds {holds}, not a Plexus config, and Plexus would " +
                    $"overwrite it or remove it as its own; pass a name no config in {dir} has (default {ConfigSettings.DefaultFileName})";
            }
        }
        return null;
    }

    // The node's <conf dir>/<dir>/<name> as the agent sees it: <conf-dir>/<dir>/<name>.
    private static string ThroughConfDir(string hostPath, string confDir) =>
        Path.GetFullPath(Path.Combine(confDir, Path.GetFileName(Path.GetDirectoryName(hostPath)) ?? "", Path.GetFileName(hostPath)));

    // Values every ADD would refuse (or, for the log level, silently read as panic) are refused here, where the flag is.
    private static string? ValueProblem(ParsedFlags flags) =>
        flags.Get("network-name") is { } name && !Plexus.Cni.CniNames.IsValidId(name)
            ? $"--network-name \"{name}\": a network name must match ^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$"
        : flags.Get("log-level") is { } level && !LogLevels.Contains(level.ToLowerInvariant())
            ? $"--log-level (--multus-log-level) \"{level}\": must be one of {string.Join(", ", LogLevels)}"
        : flags.Get("cni-version") is { } version && !(Plexus.Cni.CniVersion.TryParse(version, out var parsed) && parsed.IsSupported)
            ? $"--cni-version \"{version}\": not a CNI version Plexus supports ({string.Join(", ", Plexus.Cni.CniVersion.Supported)})"
        : flags.Get("kube-server") is { } server && !(Uri.TryCreate(server, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http")
            ? $"--kube-server \"{server}\": must be the API server's URL, e.g. https://10.96.0.1:443"
        : null;

    // The plugin's levels, as its config's "logLevel" reads them (case-insensitive).
    private static readonly string[] LogLevels = ["panic", "error", "verbose", "debug"];

    // The plugin runs in the runtime's working directory: every path the config carries is made absolute here.
    private static string? Absolute(string? path) => string.IsNullOrEmpty(path) ? path : Path.GetFullPath(path);

    private static bool? Bool(ParsedFlags flags, string name) => flags.Has(name) ? flags.IsOn(name) : null;

    private static bool ConfigFileNameIsLoadable(string name) =>
        name.EndsWith(".conflist", StringComparison.Ordinal) && !name.Contains('/');
}
