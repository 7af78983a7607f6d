using System.Text.Json.Nodes;
using static Plexus.KubeSim.Api.TableCells;

namespace Plexus.KubeSim.Api;

/// <summary>
/// printPod's READY, STATUS and RESTARTS: the reason a pod shows (its phase, or what its init
/// containers or containers are waiting for or ended with, Terminating while it is deleted), its
/// ready containers out of all (restartable init containers, sidecars, included), and its restarts
/// with how long ago the last one ended.
/// </summary>
internal static class PodCells
{
    public static string Ready(JsonObject pod) => Summarize(pod).Ready;

    public static string Status(JsonObject pod) => Summarize(pod).Status;

    public static string Restarts(JsonObject pod, DateTimeOffset now)
    {
        var (_, _, restarts, lastRestart) = Summarize(pod);
        return restarts != 0 && lastRestart is { } last ? $"{restarts} ({Age(last, now)} ago)" : $"{restarts}";
    }

    public static string ReadinessGates(JsonObject pod)
    {
        if (pod["spec"]?["readinessGates"] is not JsonArray { Count: > 0 } gates) return "<none>";
        var conditions = Conditions(pod);
        var met = gates.Count(g => conditions.FirstOrDefault(c => Text(c?["type"]) == Text(g?["conditionType"])) is { } c && Text(c["status"]) == "True");
        return $"{met}/{gates.Count}";
    }

    private static (string Ready, string Status, long Restarts, DateTimeOffset? LastRestart) Summarize(JsonObject pod)
    {
        var spec = pod["spec"];
        var status = pod["status"];
        var phase = Text(status?["phase"]);
        var reason = Text(status?["reason"]) is { Length: > 0 } podReason ? podReason : phase;
        if (Conditions(pod).Any(c => Text(c?["type"]) == "PodScheduled" && Text(c?["reason"]) == "SchedulingGated")) reason = "SchedulingGated";

        var initContainers = spec?["initContainers"] as JsonArray ?? [];
        var sidecars = initContainers.Where(c => Text(c?["restartPolicy"]) == "Always").Select(c => Text(c?["name"])).ToHashSet();
        var total = ((spec?["containers"] as JsonArray)?.Count ?? 0) + sidecars.Count;
        var ready = 0;
        long restarts = 0, sidecarRestarts = 0;
        DateTimeOffset? lastRestart = null, lastSidecarRestart = null;

        var initializing = false;
        var initStatuses = status?["initContainerStatuses"] as JsonArray ?? [];
        for (var i = 0; i < initStatuses.Count; i++)
        {
            var container = initStatuses[i];
            var sidecar = sidecars.Contains(Text(container?["name"]));
            restarts += Number(container?["restartCount"]);
            lastRestart = Later(lastRestart, LastTermination(container));
            if (sidecar)
            {
                sidecarRestarts += Number(container?["restartCount"]);
                lastSidecarRestart = Later(lastSidecarRestart, LastTermination(container));
            }
            var terminated = container?["state"]?["terminated"];
            var waiting = container?["state"]?["waiting"];
            if (terminated is not null && Number(terminated["exitCode"]) == 0) continue;
            if (sidecar && IsTrue(container?["started"]))
            {
                if (IsTrue(container?["ready"])) ready++;
                continue;
            }
            initializing = true;
            reason = terminated is not null ? "Init:" + Ended(terminated)
                : Text(waiting?["reason"]) is { Length: > 0 } waitingFor && waitingFor != "PodInitializing" ? "Init:" + waitingFor
                : $"Init:{i}/{initContainers.Count}";
            break;
        }

        if (!initializing || Conditions(pod).Any(c => Text(c?["type"]) == "Initialized" && Text(c?["status"]) == "True"))
        {
            restarts = sidecarRestarts;
            lastRestart = lastSidecarRestart;
            var running = false;
            var statuses = status?["containerStatuses"] as JsonArray ?? [];
            for (var i = statuses.Count - 1; i >= 0; i--)
            {
                var container = statuses[i];
                restarts += Number(container?["restartCount"]);
                lastRestart = Later(lastRestart, LastTermination(container));
                var terminated = container?["state"]?["terminated"];
                if (Text(container?["state"]?["waiting"]?["reason"]) is { Length: > 0 } waitingFor) reason = waitingFor;
                else if (terminated is not null) reason = Ended(terminated);
                else if (IsTrue(container?["ready"]) && container?["state"]?["running"] is not null)
                {
                    running = true;
                    ready++;
                }
            }
            // A pod whose last container completed but another still runs is Running (or NotReady), not Completed.
            if (reason == "Completed" && running)
            {
                reason = Conditions(pod).Any(c => Text(c?["type"]) == "Ready" && Text(c?["status"]) == "True") ? "Running" : "NotReady";
            }
        }

        if (pod["metadata"]?["deletionTimestamp"] is not null)
        {
            if (Text(status?["reason"]) == "NodeLost") reason = "Unknown";
            else if (phase is not ("Succeeded" or "Failed")) reason = "Terminating";
        }
        return ($"{ready}/{total}", reason, restarts, lastRestart);
    }

    // A terminated container's reason, else its signal or exit code.
    private static string Ended(JsonNode terminated) =>
        Text(terminated["reason"]) is { Length: > 0 } reason ? reason
        : Number(terminated["signal"]) != 0 ? $"Signal:{Number(terminated["signal"])}"
        : $"ExitCode:{Number(terminated["exitCode"])}";

    private static DateTimeOffset? LastTermination(JsonNode? container) =>
        TryTime(container?["lastState"]?["terminated"]?["finishedAt"], out var finished) ? finished : null;

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null || b > a ? b ?? a : a;

    private static JsonArray Conditions(JsonObject pod) => pod["status"]?["conditions"] as JsonArray ?? [];
}
