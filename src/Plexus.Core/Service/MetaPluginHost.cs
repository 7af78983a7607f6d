using Plexus.Cni.Invoke;
using Plexus.Core.Config;
using Plexus.Core.Netns;
using Plexus.Core.Ports;

namespace Plexus.Core.Service;

/// <summary>The effects the meta-plugin uses, supplied by the composition root (or a test).</summary>
public sealed record MetaPluginHost
{
    /// <summary>Runs delegate plugins.</summary>
    public required IPluginExecutor Executor { get; init; }

    /// <summary>
    /// Creates the API ports for a <c>kubeconfig</c> path (empty: in-cluster env); null means no
    /// Kubernetes. Called only by verbs that need the API, at most once per invocation.
    /// </summary>
    public Func<string?, KubernetesPorts?> ConnectKubernetes { get; init; } = _ => null;

    /// <summary>
    /// The kubelet's pod-resources API, asked only when a network's NAD names a device-plugin
    /// resource; null means none is available (such networks then fail with a clear error).
    /// </summary>
    public IPodResourcesClient? PodResources { get; init; }

    /// <summary>The NPWG device-info directory (<c>dp/</c> from device plugins, <c>cni/</c> per attachment).</summary>
    public string DeviceInfoDir { get; init; } = DeviceInfo.DeviceInfoPaths.NodeDefault;

    /// <summary>
    /// Whether work that overlaps the next delegate (a result cache's write and fsync) runs on the thread pool (a server)
    /// or on a short thread of its own (a one-shot plugin, which never starts the pool).
    /// </summary>
    public bool BackgroundWorkOnThreadPool { get; init; }

    /// <summary>
    /// Whether an ADD does its API work (the kubeconfig, the TLS handshake, reading the NADs the pod selects) while the
    /// cluster network's delegate runs, instead of before it. A server answering from its watch cache, with its
    /// connection open, turns it off: the overlap would only cost a thread hop and a second delegate-cache write.
    /// </summary>
    public bool ApiWorkBesideClusterNetwork { get; init; } = true;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Told how long each attachment's delegate chain took; null: nobody asks.</summary>
    public IAttachmentObserver? AttachmentObserver { get; init; }

    /// <summary>Where progress and warnings go (the runtime shows a plugin's stderr).</summary>
    public TextWriter Log { get; init; } = TextWriter.Null;

    /// <summary>
    /// The <c>logLevel</c> of a verb whose config sets none: Multus's default (panic) for the one-shot plugin; plexusd's
    /// own level in plexusd, whose log the lines go to.
    /// </summary>
    public LogLevel DefaultLogLevel { get; init; } = LogLevel.Panic;

    internal IPodNetwork PodNetwork { get; init; } = new NetnsPodNetwork();
}
