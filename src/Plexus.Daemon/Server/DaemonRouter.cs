using Microsoft.AspNetCore.Http;
using Plexus.Daemon.Cni;
using Plexus.Daemon.Metrics;
using Plexus.Daemon.Protocol;

namespace Plexus.Daemon.Server;

/// <summary>
/// A switch instead of endpoint routing: five fixed paths, and the listener decides which set is served
/// (the unix socket gets the CNI API, the TCP listener only <c>/metrics</c>).
/// </summary>
internal sealed class DaemonRouter(CniEndpoint cni, DrainState drain, DaemonMetrics metrics)
{
    public Task RouteAsync(HttpContext context)
    {
        var path = context.Request.Path.Value;
        var post = HttpMethods.IsPost(context.Request.Method);
        var get = HttpMethods.IsGet(context.Request.Method);
        if (context.Connection.LocalIpAddress is not null)
        {
            return get && path == "/metrics" ? ExportMetricsAsync(context) : StatusAsync(context, 404, "not found");
        }
        return path switch
        {
            DaemonEndpoints.Cni when post => cni.HandleAsync(context, CniCallKind.Cni),
            DaemonEndpoints.Delegate when post => cni.HandleAsync(context, CniCallKind.Delegate),
            DaemonEndpoints.Healthz when get => StatusAsync(context, 200, "ok"),
            DaemonEndpoints.Readyz when get => drain.IsDraining ? StatusAsync(context, 500, "draining") : StatusAsync(context, 200, "ready"),
            DaemonEndpoints.Cni or DaemonEndpoints.Delegate or DaemonEndpoints.Healthz or DaemonEndpoints.Readyz =>
                StatusAsync(context, 405, "method not allowed"),
            _ => StatusAsync(context, 404, "not found"),
        };
    }

    private async Task ExportMetricsAsync(HttpContext context)
    {
        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        await metrics.Registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
    }

    private static Task StatusAsync(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain";
        return context.Response.WriteAsync(text + "\n", context.RequestAborted);
    }
}
