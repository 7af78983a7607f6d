using System.Collections.Concurrent;
using Plexus.Core.Ports;
using Plexus.Daemon.Metrics;

namespace Plexus.Daemon.Caches;

/// <summary>
/// The meta-plugin's <c>ConnectKubernetes</c> in the daemon: one live client per kubeconfig, rebuilt every
/// few minutes, whenever the kubeconfig file is rewritten and once the exec plugin's credential has expired (so a
/// rotated token is picked up), wrapped in the caches when the request names the same API server the caches watch.
/// </summary>
public sealed class DaemonKubePorts(
    Func<string?, KubernetesPorts?> connect, string? cachedKubeconfig, KubeCaches? caches, DaemonMetrics metrics, TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, (KubernetesPorts? Ports, DateTimeOffset Created, DateTime Written)> _live = new(StringComparer.Ordinal);

    public KubernetesPorts? Connect(string? kubeconfig)
    {
        var key = kubeconfig ?? "";
        var now = time.GetUtcNow();
        // The node agent rewrites the kubeconfig when the token rotates; a client older than that file sends a dead token (401).
        var written = string.IsNullOrEmpty(kubeconfig) ? default : File.GetLastWriteTimeUtc(kubeconfig);
        var entry = _live.AddOrUpdate(key,
            _ => (connect(kubeconfig), now, written),
            (_, old) => now - old.Created < Lifetime && old.Written == written && !(old.Ports?.CredentialExpiry <= now)
                ? old
                : (connect(kubeconfig), now, written));
        if (entry.Ports is not { } live)
        {
            return null;
        }
        return caches is not null && key == (cachedKubeconfig ?? "") ? CachedPorts.Wrap(live, caches, metrics) : live;
    }
}
