using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Plexus.KubeSim.Api;

namespace Plexus.KubeSim.Hosting;

/// <summary>
/// The simulator's own endpoints (bearer token required) for a simulator running as a process:
/// <c>GET/DELETE /kubesim/counters</c>, <c>GET/PUT /kubesim/faults</c> ({latencyMs, errorShare,
/// errorCode}), <c>POST /kubesim/faults/drop-watches</c> and <c>POST /kubesim/faults/refuse?seconds=N</c>.
/// </summary>
internal sealed class ControlEndpoints(SimState state, Func<TimeSpan, Task> refuseFor)
{
    public async Task HandleAsync(HttpContext http, string[] parts)
    {
        var method = http.Request.Method;
        switch (parts)
        {
            case ["counters"] when HttpMethods.IsGet(method):
                await HttpIo.WriteAsync(http, 200, Counters());
                break;
            case ["counters"] when HttpMethods.IsDelete(method):
                state.Counters.Reset();
                await HttpIo.WriteAsync(http, 200, Counters());
                break;
            case ["faults"] when HttpMethods.IsGet(method):
                await HttpIo.WriteAsync(http, 200, Faults());
                break;
            case ["faults"] when HttpMethods.IsPut(method):
                SetFaults(await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted));
                await HttpIo.WriteAsync(http, 200, Faults());
                break;
            case ["faults", "drop-watches"] when HttpMethods.IsPost(method):
                state.Store.DropWatchers();
                await HttpIo.WriteAsync(http, 200, Faults());
                break;
            case ["faults", "refuse"] when HttpMethods.IsPost(method):
                var seconds = double.TryParse(http.Request.Query["seconds"], CultureInfo.InvariantCulture, out var s) ? s : 1;
                await HttpIo.WriteAsync(http, 202, Faults());
                // Stopping the listener would cut this very answer off: do it after the response.
                http.Response.OnCompleted(() =>
                {
                    _ = Task.Run(() => refuseFor(TimeSpan.FromSeconds(seconds)));
                    return Task.CompletedTask;
                });
                break;
            default:
                throw new ApiException(404, "NotFound", "the server could not find the requested resource");
        }
    }

    private JsonObject Counters() => new()
    {
        ["total"] = state.Counters.Total,
        ["counts"] = new JsonArray([.. state.Counters.Snapshot().OrderBy(p => p.Key.ToString(), StringComparer.Ordinal)
            .Select(p => (JsonNode)new JsonObject
            {
                ["verb"] = p.Key.Verb,
                ["group"] = p.Key.Group,
                ["resource"] = p.Key.Resource,
                ["count"] = p.Value,
            })]),
    };

    private JsonObject Faults() => new()
    {
        ["latencyMs"] = state.Faults.Latency.TotalMilliseconds,
        ["errorShare"] = state.Faults.ErrorShare,
        ["errorCode"] = state.Faults.ErrorCode,
        ["activeWatches"] = state.Store.WatcherCount,
    };

    private void SetFaults(JsonNode? body)
    {
        try
        {
            if (body?["latencyMs"] is { } latency) state.Faults.Latency = TimeSpan.FromMilliseconds(latency.GetValue<double>());
            if (body?["errorShare"] is { } share) state.Faults.ErrorShare = share.GetValue<double>();
            if (body?["errorCode"] is { } code) state.Faults.ErrorCode = code.GetValue<int>();
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentOutOfRangeException)
        {
            throw ApiException.BadRequest($"invalid fault settings: {e.Message}");
        }
    }
}
