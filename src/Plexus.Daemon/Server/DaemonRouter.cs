using System.Globalization;
using Plexus.Daemon.Cni;
using Plexus.Daemon.Metrics;
using Plexus.Daemon.Protocol;
using Plexus.Daemon.Server.Http;

namespace Plexus.Daemon.Server;

/// <summary>
/// Five fixed paths, and the listener decides which set is served (the unix socket gets the CNI API and the probes,
/// the TCP listener <c>/metrics</c> and the probes). Every answer on the socket is counted in <c>multus_server_request_total</c> with
/// Multus's labels, so dashboards built for its daemon work unchanged.
/// </summary>
internal sealed class DaemonRouter(CniEndpoint cni, DrainState drain, DaemonMetrics metrics)
{
    /// <summary>Multus's label for every path it does not serve.</summary>
    internal const string NotFoundHandler = "NotFound";

    public async Task<DaemonResponse> RouteAsync(DaemonRequest request, CancellationToken aborted)
    {
        if (request.OnMetricsPort)
        {
            // The probes too, for the kubelet's httpGet liveness and readiness checks (it cannot reach the unix socket).
            return (request.Method, request.Path) switch
            {
                ("GET", "/metrics") => await ExportMetricsAsync(aborted).ConfigureAwait(false),
                ("GET", DaemonEndpoints.Healthz) => DaemonResponse.Text(200, "ok"),
                ("GET", DaemonEndpoints.Readyz) => Readiness(),
                _ => DaemonResponse.Text(404, "not found"),
            };
        }
        var response = await RouteSocketAsync(request, aborted).ConfigureAwait(false);
        metrics.MultusCompat.WithLabels(HandlerLabel(request.Path), response.Status.ToString(CultureInfo.InvariantCulture),
            MethodLabel(request.Method)).Inc();
        return response;
    }

    private Task<DaemonResponse> RouteSocketAsync(DaemonRequest request, CancellationToken aborted)
    {
        var post = request.Method == "POST";
        // Multus's shim and daemon probe /healthz with GET and POST; HEAD is what load balancers and curl -I send.
        var probe = request.Method is "GET" or "HEAD" or "POST";
        return request.Path switch
        {
            DaemonEndpoints.Cni when post => cni.HandleAsync(request, CniCallKind.Cni, aborted),
            DaemonEndpoints.Delegate when post => cni.HandleAsync(request, CniCallKind.Delegate, aborted),
            DaemonEndpoints.Healthz when probe => Status(200, "ok"),
            DaemonEndpoints.Readyz when probe => Task.FromResult(Readiness()),
            DaemonEndpoints.Cni or DaemonEndpoints.Delegate or DaemonEndpoints.Healthz or DaemonEndpoints.Readyz =>
                Status(405, "method not allowed"),
            _ => Status(404, "not found"),
        };
    }

    /// <summary>Multus labels a served path with the path itself and everything else with one value, so a scanner cannot grow the label set.</summary>
    internal static string HandlerLabel(string path) => path switch
    {
        DaemonEndpoints.Cni or DaemonEndpoints.Delegate or DaemonEndpoints.Healthz or DaemonEndpoints.Readyz => path,
        _ => NotFoundHandler,
    };

    /// <summary>As Prometheus's Go HTTP instrumentation (promhttp) writes the method: lower case, unknown methods as one value.</summary>
    internal static string MethodLabel(string method) => method switch
    {
        "GET" => "get",
        "HEAD" => "head",
        "POST" => "post",
        "PUT" => "put",
        "DELETE" => "delete",
        "CONNECT" => "connect",
        "OPTIONS" => "options",
        "TRACE" => "trace",
        "PATCH" => "patch",
        _ => "unknown",
    };

    private async Task<DaemonResponse> ExportMetricsAsync(CancellationToken aborted)
    {
        using var body = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(body, aborted).ConfigureAwait(false);
        return new DaemonResponse(200, "text/plain; version=0.0.4; charset=utf-8", body.ToArray());
    }

    private DaemonResponse Readiness() => drain.IsDraining ? DaemonResponse.Text(500, "draining") : DaemonResponse.Text(200, "ready");

    private static Task<DaemonResponse> Status(int status, string text) => Task.FromResult(DaemonResponse.Text(status, text));
}
