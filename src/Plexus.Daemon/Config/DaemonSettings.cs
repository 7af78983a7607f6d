using Plexus.Core.Config;
using Plexus.Core.Service;
using Plexus.NodeAgent.Generation;

namespace Plexus.Daemon.Config;

/// <summary>Everything plexusd's config file says: the server's options, where the API server is, and the in-process agent.</summary>
public sealed record DaemonSettings
{
    public required DaemonOptions Server { get; init; }

    /// <summary>Empty: the in-cluster service account (or no API server at all: static delegates only).</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>
    /// Multus's <c>chrootDir</c>: the node's root filesystem as mounted in the container. plexusd chroots into it at
    /// start-up, before it opens any other path of this config, so those are all host paths. Null: no chroot.
    /// </summary>
    public string? ChrootDir { get; init; }

    /// <summary>Where the in-cluster token and CA are read (on every client reload, so rotation is picked up).</summary>
    public string ServiceAccountDir { get; init; } = Plexus.Kube.KubeConnection.DefaultServiceAccountDir;

    /// <summary>The node whose pods are cached; without it the pod cache is off and every lookup is live.</summary>
    public string? NodeName { get; init; }

    /// <summary>Null unless <c>generateConfig</c> is true.</summary>
    public GeneratorOptions? Generator { get; init; }

    /// <summary>
    /// The meta-plugin keys of plexusd's config (see <see cref="Plexus.Core.Config.MetaConfigOverlay"/>), set over every
    /// <c>/cni</c> request's config as Multus's daemon does; null when the config has none.
    /// </summary>
    public System.Text.Json.Nodes.JsonObject? RequestOverlay { get; init; }

    /// <summary>
    /// Whether the generated config goes when plexusd stops (<c>cleanupConfigOnExit</c>). Removed, pods created while
    /// plexusd is away get only the primary network and their DELs skip Plexus; kept, their shims get code 11 and the
    /// runtime retries until plexusd is back, but a node whose plexusd is gone for good needs <c>plexus config restore</c>.
    /// </summary>
    public bool CleanupConfigOnExit { get; init; } = true;

    public string BackupDir { get; init; } = "/var/lib/plexus/backups";

    /// <summary>Where <c>/delegate</c> finds delegate plugins (the meta config's <c>binDir</c>; also the generated config's).</summary>
    public string BinDir { get; init; } = HotPlugSettings.DefaultBinDir;

    /// <summary>Where <c>/delegate</c> keeps result caches (the meta config's <c>cniDir</c>; also the generated config's).</summary>
    public string CniDir { get; init; } = HotPlugSettings.DefaultCniDir;

    /// <summary>
    /// Multus's <c>logLevel</c>: plexusd's own (see <see cref="Logging.DaemonLogLevel"/>), and that of its requests: set
    /// over each request's config when plexusd's config names it (<see cref="RequestOverlay"/>), otherwise the level of a
    /// request whose config sets none (instead of Multus's panic, which would hide its errors).
    /// </summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Verbose;
}
