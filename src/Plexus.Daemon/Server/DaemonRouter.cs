using Plexus.Daemon.Cni;
using Plexus.Daemon.Metrics;
using Plexus.Daemon.Protocol;
using Plexus.Daemon.Server.Http;

namespace Plexus.Daemon.Server;

/// <summary>
/// Five fixed paths, and the listener decides which set is served (the unix socket gets the CNI API, the TCP
/// listener only <c>/metrics</c>).
/// </summary>
internal sealed class DaemonRouter(CniEndpoint cni, DrainState drain, DaemonMetrics metrics)
{
    public Task<DaemonResponse> RouteAsync(DaemonRequest request, CancellationToken aborted)
    {
        var post = request.Method == "POST";
        var get = request.Method == "GET";
        if (request.OnMetricsPort)
        {
            return get && request.Path == "/metrics" ? ExportMetricsAsync(aborted) : Status(404, "not found");
        }
        return request.Path switch
        {
            DaemonEndpoints.Cni when post => cni.HandleAsync(request, CniCallKind.Cni, aborted),
            DaemonEndpoints.Delegate when post => cni.HandleAsync(request, CniCallKind.Delegate, aborted),
            DaemonEndpoints.Healthz when get => Status(200, "ok"),
            DaemonEndpoints.Readyz when get => drain.IsDraining ? Status(500, "draining") : Status(200, "ready"),
            DaemonEndpoints.Cni or DaemonEndpoints.Delegate or DaemonEndpoints.Healthz or DaemonEndpoints.Readyz =>
                Status(405, "method not allowed"),
            _ => Status(404, "not found"),
        };
    }

    private async Task<DaemonResponse> ExportMetricsAsync(CancellationToken aborted)
    {
        using var body = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(body, aborted).ConfigureAwait(false);
        return new DaemonResponse(200, "text/plain; version=0.0.4; charset=utf-8", body.ToArray());
    }

    private static Task<DaemonResponse> Status(int status, string text) => Task.FromResult(DaemonResponse.Text(status, text));
}
