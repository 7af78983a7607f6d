using System.Text.Json.Nodes;
using Plexus.Cni;
using Plexus.Cni.Config;
using Plexus.Cni.Invoke;
using Plexus.Cni.Results;
using Plexus.Cni.Skel;
using Plexus.Core.Cache;
using Plexus.Core.Config;
using Plexus.Core.DeviceInfo;
using Plexus.Core.Planning;
using Plexus.Core.Ports;

namespace Plexus.Core.Service;

/// <summary>One invocation's state: its config, the delegate runtime and, on demand, the API client.</summary>
internal sealed class Session
{
    private readonly Lazy<KubernetesPorts?> kube;
    private readonly VerbLog log;

    public Session(CniInvocation invocation, MetaPluginHost host)
        : this(invocation, host, MetaConfigParser.Parse(invocation.Stdin.Span))
    {
    }

    /// <summary>A session whose meta config does not come from stdin (plexusd's hot-plug: stdin is the one network).</summary>
    public Session(CniInvocation invocation, MetaPluginHost host, MetaConfig config)
    {
        Invocation = invocation;
        Host = host;
        Config = config;
        log = new VerbLog(config, host);
        var binDirs = new[] { Config.BinDir }.Concat(invocation.Path).Distinct(StringComparer.Ordinal).ToList();
        Runtime = new DelegateRuntime(host.Executor, new PluginVersionCache(host.Executor), new ResultCache(Config.CniDir, host.BackgroundWorkOnThreadPool), binDirs);
        Cache = new DelegateCacheStore(Config.CniDir);
        DeviceInfo = new DeviceInfoStore(new DeviceInfoPaths(host.DeviceInfoDir));
        kube = new Lazy<KubernetesPorts?>(() => host.ConnectKubernetes(Config.Kubeconfig));
    }

    public CniInvocation Invocation { get; }

    public MetaPluginHost Host { get; }

    public MetaConfig Config { get; }

    public DelegateRuntime Runtime { get; }

    public DelegateCacheStore Cache { get; }

    public DeviceInfoStore DeviceInfo { get; }

    public KubernetesPorts? Kube => kube.Value;

    /// <summary>Whether <see cref="Kube"/> was asked for already (its connection, if any, may be open).</summary>
    public bool KubeTouched => kube.IsValueCreated;

    public string ContainerId => Invocation.ContainerId ?? throw CniException.InvalidEnvironment("CNI_CONTAINERID is not set");

    /// <summary>The runtime's interface name: the cluster network's.</summary>
    public string IfName => Invocation.IfName ?? throw CniException.InvalidEnvironment("CNI_IFNAME is not set");

    /// <summary>Logs when <paramref name="level"/> is within the configured <c>logLevel</c>; never throws.</summary>
    public void Log(LogLevel level, string message) => log.Write(level, message);

    /// <summary>
    /// The attachments a container's delegate cache names: Plexus's as it saved them (each marked as the cluster network or not),
    /// Multus's as Multus's DEL derives them (with <paramref name="clusterIfName"/> and this call's runtimeConfig).
    /// Null when the cache is missing or unusable.
    /// </summary>
    public List<Attachment>? AttachmentsOf(DelegateCacheLoad load, string containerId, string clusterIfName) =>
        load.Cache?.Attachments.Select((a, i) => a.ToAttachment(i)).ToList()
        ?? load.Multus?.ToAttachments(clusterIfName, Config.CniVersion, Config.RuntimeConfig,
            (network, ifName) => DeviceInfo.Paths.ForAttachment(network, containerId, ifName));

    public RuntimeConf RuntimeFor(Attachment attachment) => new()
    {
        ContainerId = ContainerId,
        NetnsPath = string.IsNullOrEmpty(Invocation.Netns) ? null : Invocation.Netns,
        IfName = attachment.IfName,
        Args = Invocation.Args,
        CapabilityArgs = attachment.CapabilityArgs is { } args
            ? args.ToDictionary(p => p.Key, p => p.Value?.DeepClone())
            : new Dictionary<string, JsonNode?>(),
    };

    public static NetworkConfigList ListOf(Attachment attachment) => NetworkConfigList.FromJson(attachment.Conf);

    /// <summary>ADD of every plugin of the attachment's network, with its result cache; timed for the host's observer.</summary>
    /// <param name="cacheInBackground">See <see cref="DelegateRuntime.AddNetworkListAsync"/>.</param>
    public async Task<CniResult> AddAttachmentAsync(Attachment attachment, bool cacheInBackground, CancellationToken cancellationToken)
    {
        CniResult? result = null;
        await TimedAsync("ADD", attachment, async () => result = await Runtime.AddNetworkListAsync(ListOf(attachment), RuntimeFor(attachment),
            cancellationToken, cacheInBackground).ConfigureAwait(false)).ConfigureAwait(false);
        return result!;
    }

    /// <summary>DEL of every plugin of the attachment's network, in reverse; timed for the host's observer.</summary>
    public Task DelAttachmentAsync(Attachment attachment, CancellationToken cancellationToken) =>
        TimedAsync("DEL", attachment, () => Runtime.DelNetworkListAsync(ListOf(attachment), RuntimeFor(attachment), cancellationToken));

    /// <summary>CHECK of every plugin of the attachment's network (<paramref name="list"/>, already read); timed for the host's observer.</summary>
    public Task CheckAttachmentAsync(Attachment attachment, NetworkConfigList list, CancellationToken cancellationToken) =>
        TimedAsync("CHECK", attachment, () => Runtime.CheckNetworkListAsync(list, RuntimeFor(attachment), cancellationToken));

    private async Task TimedAsync(string verb, Attachment attachment, Func<Task> run)
    {
        if (Host.AttachmentObserver is not { } observer)
        {
            await run().ConfigureAwait(false);
            return;
        }
        var started = Host.Time.GetTimestamp();
        try
        {
            await run().ConfigureAwait(false);
        }
        finally
        {
            observer.Completed(verb, attachment.Network, Host.Time.GetElapsedTime(started));
        }
    }
}
