using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Plexus.Cni;
using Plexus.Cni.Results;
using Plexus.Daemon.Cni;
using Plexus.Daemon.Logging;
using Plexus.Daemon.Metrics;
using Plexus.Daemon.Protocol;
using Plexus.Daemon.Server.Http;

namespace Plexus.Daemon.Server;

/// <summary>
/// <c>POST /cni</c> and <c>POST /delegate</c>: admission (drain state, then the gate), the per-request
/// timeout, and turning the handler's outcome into Multus-compatible HTTP answers: 200 with <c>{"Result":…}</c>, or
/// 400 with the CNI error JSON for every error. "Try again later" (busy, draining, timed out) is the error's code 11,
/// not a different HTTP status, as Multus's daemon answers every failed request 400. The Result is cniVersion 1.0.0, as
/// Multus's daemon sends it, unless the request asks for its config's version (<see cref="CniRequestBody.ResultVersion"/>).
/// </summary>
internal sealed class CniEndpoint(
    ICniCallHandler handler, RequestGate gate, DrainState drain, DaemonOptions options,
    DaemonMetrics metrics, TimeProvider time, ILogger<CniEndpoint> logger)
{
    /// <summary>The status of every CNI error answer; the shim prints the body whatever the status.</summary>
    private const int ErrorStatus = 400;

    private readonly ContainerLocks _containers = new();

    /// <param name="aborted">Cancelled when the client hangs up: a request still queued then leaves the queue.</param>
    public async Task<DaemonResponse> HandleAsync(DaemonRequest request, CniCallKind kind, CancellationToken aborted)
    {
        CniRequestBody? body;
        var where = "";
        try
        {
            body = JsonSerializer.Deserialize(request.Body.Span, ProtocolJsonContext.Default.CniRequestBody);
        }
        catch (JsonException e)
        {
            logger.BadBody(request.Path, e.Message);
            body = null;
            // The caller (a hot-plug controller's malformed interfaceAttributes, say) learns which field, not only the log.
            where = e.Path is { Length: > 1 } path ? $" (bad value at {path})" : "";
        }
        if (body is not { IsComplete: true })
        {
            var error = CniException.Decode($"plexusd: request body is not {{\"env\":{{…}},\"config\":\"<base64>\"}}{where}",
                "the caller is not a CNI shim speaking this daemon's protocol");
            return Answer(ErrorStatus, error.ToBytes(CniVersion.Latest));
        }
        var stdin = StdinConfig.Read(body.Config);
        if (body.ResultVersion is not (null or CniRequestBody.ResultInConfigVersion))
        {
            var error = CniException.Decode(
                $"plexusd: request body's \"resultVersion\" is \"{body.ResultVersion}\"; the only value is \"{CniRequestBody.ResultInConfigVersion}\"",
                "send \"config\" for the Result in the config's cniVersion (plexus-shim does), or leave it out for a cniVersion 1.0.0 Result (Multus's shim does)");
            return Answer(ErrorStatus, error.ToBytes(stdin.CniVersion));
        }
        var call = new CniCall(kind, body, stdin.CniVersion);
        var who = CallIdentity.Of(call, stdin.NetworkName);
        using var scope = logger.BeginScope(who.ToScope());
        var (status, answer) = await AdmitAndRunAsync(call, who, aborted);
        return Answer(status, answer);
    }

    private async Task<(int Status, byte[] Body)> AdmitAndRunAsync(CniCall call, CallIdentity who, CancellationToken aborted)
    {
        if (!drain.TryEnter())
        {
            return Reject(who, Rejection.Draining, call.ErrorVersion);
        }
        var handedOff = false;
        try
        {
            var arrived = time.GetTimestamp();
            var (lease, rejection) = await gate.EnterAsync(aborted);
            if (lease is null)
            {
                return Reject(who, rejection, call.ErrorVersion);
            }
            handedOff = true;
            return await RunAsync(call, who, lease, queued: time.GetElapsedTime(arrived));
        }
        finally
        {
            if (!handedOff)
            {
                drain.Exit();
            }
        }
    }

    /// <param name="queued">
    /// How long the request waited for its slot: spent from its budget, so a request is answered within the request timeout
    /// of arriving (and before the shim gives up), not a queue timeout later.
    /// </param>
    private async Task<(int Status, byte[] Body)> RunAsync(CniCall call, CallIdentity who, IDisposable lease, TimeSpan queued)
    {
        var started = Stopwatch.GetTimestamp();
        var budget = queued < options.RequestTimeout ? options.RequestTimeout - queued : TimeSpan.Zero;
        var deadline = Deadline.After(budget, time, drain.Abandoned);
        var work = InvokeAsync(call, deadline.Token);
        // The slot and the drain count are held until the work itself ends, even if its answer was a timeout:
        // otherwise a stuck delegate would let unbounded work pile up behind the limit.
        _ = work.ContinueWith(_ =>
        {
            lease.Dispose();
            deadline.Dispose();
            drain.Exit();
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        CniOutcome outcome;
        string result;
        try
        {
            outcome = await work.WaitAsync(budget, time, drain.Abandoned);
            // The deadline and the drain cancel the work as they fire: a handler that turns that cancellation into an
            // ordinary error outcome was still stopped by them, and is answered as such.
            if (outcome.Error is not null && deadline.Expired)
            {
                throw new TimeoutException();
            }
            if (outcome.Error is not null)
            {
                drain.Abandoned.ThrowIfCancellationRequested();
            }
            outcome = InRequestedVersion(call, outcome);
            result = outcome.Error is null ? "success" : "error";
        }
        catch (Exception e) when (e is TimeoutException || (e is OperationCanceledException && deadline.Expired))
        {
            logger.RequestTimedOut(who.Verb, options.RequestTimeout.TotalSeconds);
            outcome = CniOutcome.Failure(call.ErrorVersion, new CniException(CniErrorCode.TryAgainLater,
                $"plexusd: {who.Verb} did not finish within {options.RequestTimeout.TotalSeconds:0.#} s ({queued.TotalSeconds:0.#} s of it waiting for a free slot)",
                "a delegate or the API server is slow; the runtime will retry"));
            result = "timeout";
        }
        catch (OperationCanceledException) when (drain.Abandoned.IsCancellationRequested)
        {
            // The drain gave up on this request: its work is cancelled (delegates killed) and keeps the drain count until it ends.
            outcome = CniOutcome.Failure(call.ErrorVersion, new CniException(ShuttingDownCode(who), "plexusd is shutting down",
                $"{who.Verb} was cancelled (still running when plexusd stopped waiting, drainTimeoutSeconds {options.DrainTimeout.TotalSeconds:0.#}); the runtime will retry"));
            result = "cancelled";
        }
        catch (Exception e)
        {
            logger.RequestCrashed(who.Verb, e);
            outcome = CniOutcome.Failure(call.ErrorVersion, new CniException(CniErrorCode.PluginSpecific,
                $"plexusd: internal error during {who.Verb}: {e.Message}", "see plexusd's log"));
            result = "error";
        }
        var elapsed = Stopwatch.GetElapsedTime(started);
        metrics.RequestDuration.WithLabels(who.Verb).Observe(elapsed.TotalSeconds);
        metrics.Requests.WithLabels(who.Verb, result).Inc();
        if (outcome.Error is { } error)
        {
            logger.RequestFailed(who.Verb, error.Code, error.Message, error.Details);
            return (ErrorStatus, error.ToBytes(outcome.Version));
        }
        logger.RequestFinished(who.Verb, result, (long)elapsed.TotalMilliseconds);
        var answer = new CniResponseBody { Result = outcome.Result };
        return (200, JsonSerializer.SerializeToUtf8Bytes(answer, ProtocolJsonContext.Default.CniResponseBody));
    }

    /// <summary>
    /// A success's Result as the caller reads it. Multus's daemon converts every Result to 1.0.0 and its shim decodes
    /// that shape before converting it to the runtime's version: a 0.3.1 Result sent as it is would lose its
    /// <c>ips[].version</c> there, a 0.2.0 one its addresses. Only plexus-shim, which prints the Result unchanged, asks
    /// for it as the meta-plugin printed it.
    /// </summary>
    private static CniOutcome InRequestedVersion(CniCall call, CniOutcome outcome) =>
        outcome.Result is { } printed && call.Body.ResultVersion != CniRequestBody.ResultInConfigVersion
            ? CniOutcome.Success(CniVersion.V100, CniResult.Parse(printed, outcome.Version).ConvertTo(CniVersion.V100).ToJson())
            : outcome;

    /// <summary>
    /// Turns a handler that throws before its first await into a faulted task, so the slot is still released. A call
    /// waits here for an earlier one of the same container; that wait counts against its timeout.
    /// </summary>
    private async Task<CniOutcome> InvokeAsync(CniCall call, CancellationToken cancellationToken) =>
        await _containers.RunAsync(call.ContainerId, () => handler.HandleAsync(call, cancellationToken), cancellationToken).ConfigureAwait(false);

    private (int Status, byte[] Body) Reject(CallIdentity who, Rejection rejection, CniVersion version)
    {
        var reason = rejection switch
        {
            Rejection.QueueFull => "queue_full",
            Rejection.QueueTimeout => "queue_timeout",
            _ => "draining",
        };
        metrics.Rejected.WithLabels(reason).Inc();
        metrics.Requests.WithLabels(who.Verb, "rejected").Inc();
        logger.RequestRejected(who.Verb, reason, drain.Active, options.MaxInFlight, options.MaxQueued);
        var message = rejection switch
        {
            Rejection.Draining => "plexusd is shutting down",
            Rejection.QueueTimeout => $"plexusd is busy: no free slot within {options.QueueWaitLimit.TotalSeconds:0.#} s ({options.MaxInFlight} requests run at once)",
            _ => $"plexusd is busy ({options.MaxInFlight} requests running, {options.MaxQueued} queued)",
        };
        var code = rejection == Rejection.Draining ? ShuttingDownCode(who) : CniErrorCode.TryAgainLater;
        var error = new CniException(code, message, "the runtime will retry this request");
        return (ErrorStatus, error.ToBytes(version));
    }

    /// <summary>
    /// A stopping plexusd is "try again later" (11) for the verbs a runtime retries; STATUS asks whether ADDs can be served,
    /// and CNI 1.1 answers that with "the plugin is not available" (50), as plexus-shim does when plexusd is down.
    /// </summary>
    private static int ShuttingDownCode(CallIdentity who) => who.Verb == "STATUS" ? CniErrorCode.PluginNotAvailable : CniErrorCode.TryAgainLater;

    private static DaemonResponse Answer(int status, byte[] body) => new(status, "application/json", body);
}
