using Plexus.Core.Ports;
using Plexus.Daemon.Caches;
using Plexus.Daemon.Metrics;

namespace Plexus.Daemon.Tests.Caches;

public sealed class DaemonKubePortsTests
{
    private readonly List<string?> _connects = [];
    private readonly MutableClock _clock = new();
    private DateTimeOffset? _expiry;

    [Fact]
    public void Connect_SameKubeconfigTwice_OneLiveClientWrappedInCaches()
    {
        var ports = new DaemonKubePorts(Connect, "/etc/kube", new KubeCaches(), new DaemonMetrics(), _clock);

        var first = ports.Connect("/etc/kube");
        var second = ports.Connect("/etc/kube");

        Assert.Equal(["/etc/kube"], _connects);
        Assert.IsNotType<Live>(first!.Pods);
        Assert.IsNotType<Live>(second!.Definitions);
    }

    [Fact]
    public void Connect_OtherKubeconfig_LiveClientWithoutCaches()
    {
        var ports = new DaemonKubePorts(Connect, "/etc/kube", new KubeCaches(), new DaemonMetrics(), _clock);

        Assert.IsType<Live>(ports.Connect("/elsewhere")!.Pods);
    }

    [Fact]
    public void Connect_AfterLifetime_RebuildsTheClient()
    {
        var ports = new DaemonKubePorts(Connect, null, null, new DaemonMetrics(), _clock);

        ports.Connect(null);
        _clock.Now += TimeSpan.FromMinutes(6);
        ports.Connect(null);

        Assert.Equal(2, _connects.Count);
    }

    [Fact]
    public void Connect_CredentialExpiredWithinLifetime_RebuildsTheClient()
    {
        var ports = new DaemonKubePorts(Connect, null, null, new DaemonMetrics(), _clock);
        _expiry = _clock.Now + TimeSpan.FromMinutes(1);

        ports.Connect(null);
        _clock.Now += TimeSpan.FromSeconds(59);
        ports.Connect(null);
        _clock.Now += TimeSpan.FromSeconds(1);
        ports.Connect(null);

        Assert.Equal(2, _connects.Count);
    }

    [Fact]
    public void Connect_NoApiServer_Null()
    {
        var ports = new DaemonKubePorts(_ => null, null, new KubeCaches(), new DaemonMetrics(), _clock);

        Assert.Null(ports.Connect(null));
    }

    private KubernetesPorts? Connect(string? kubeconfig)
    {
        _connects.Add(kubeconfig);
        var live = new Live();
        return new KubernetesPorts(live, live) { CredentialExpiry = _expiry };
    }

    private sealed class MutableClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private sealed class Live : IPodClient, INetworkAttachmentClient
    {
        public Task<PodLookup> GetPodAsync(PodRef pod, CancellationToken cancellationToken) => Task.FromResult(PodLookup.NotFound);

        public Task<StatusWriteOutcome> WriteNetworkStatusAsync(PodRef pod, string? uid, string networkStatusJson, CancellationToken cancellationToken) =>
            Task.FromResult(StatusWriteOutcome.Written);

        public Task RecordEventAsync(PodRef pod, string? podUid, PodEvent podEvent, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<NadLookup> GetAsync(string @namespace, string name, CancellationToken cancellationToken) => Task.FromResult(NadLookup.NotFound);
    }
}
