using System.Globalization;
using System.Text.Json.Nodes;

namespace Plexus.KubeSim.Api;

/// <summary>How the server-side printers turn an object's fields into cells (pkg/printers/internalversion/printers.go).</summary>
internal static class TableCells
{
    private const string NodeRolePrefix = "node-role.kubernetes.io/";

    // The printer reads status.podIPs[0]; the server keeps podIP equal to it, which the simulator does not enforce.
    public static string PodIp(JsonObject pod) =>
        pod["status"]?["podIPs"] is JsonArray { Count: > 0 } ips ? Text(ips[0]?["ip"]) : Text(pod["status"]?["podIP"]);

    /// <summary>Ready or NotReady from the Ready condition (Unknown without one), then SchedulingDisabled when cordoned.</summary>
    public static string NodeStatus(JsonObject node)
    {
        var ready = (node["status"]?["conditions"] as JsonArray)?.LastOrDefault(c => Text(c?["type"]) == "Ready");
        var status = ready is null ? "Unknown" : Text(ready["status"]) == "True" ? "Ready" : "NotReady";
        return IsTrue(node["spec"]?["unschedulable"]) ? status + ",SchedulingDisabled" : status;
    }

    /// <summary>The roles named by node-role.kubernetes.io/ROLE labels and a kubernetes.io/role label, sorted, without repeats.</summary>
    public static string NodeRoles(JsonObject node)
    {
        var roles = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in node["metadata"]?["labels"] as JsonObject ?? [])
        {
            if (key.StartsWith(NodeRolePrefix, StringComparison.Ordinal) && key.Length > NodeRolePrefix.Length)
            {
                roles.Add(key[NodeRolePrefix.Length..]);
            }
            else if (key == "kubernetes.io/role" && Text(value).Length > 0)
            {
                roles.Add(Text(value));
            }
        }
        return string.Join(",", roles);
    }

    public static string NodeAddress(JsonObject node, string type) =>
        (node["status"]?["addresses"] as JsonArray)?.FirstOrDefault(a => Text(a?["type"]) == type) is { } address
            ? Text(address["address"])
            : "<none>";

    // An event without firstTimestamp (events.k8s.io style) is dated by eventTime; a series by its last observation.
    public static JsonNode? FirstSeen(JsonObject e) => e["firstTimestamp"] ?? e["eventTime"];

    public static JsonNode? LastSeen(JsonObject e) => e["series"]?["lastObservedTime"] ?? e["lastTimestamp"] ?? FirstSeen(e);

    public static long EventCount(JsonObject e) =>
        e["series"] is JsonObject series ? Number(series["count"]) : Math.Max(1, Number(e["count"]));

    public static string InvolvedObject(JsonObject e)
    {
        var kind = Text(e["involvedObject"]?["kind"]).ToLowerInvariant();
        var name = Text(e["involvedObject"]?["name"]);
        return name.Length > 0 ? $"{kind}/{name}" : kind;
    }

    public static string EventSource(JsonObject e)
    {
        var component = FirstNonEmpty(Text(e["source"]?["component"]), Text(e["reportingComponent"]));
        var instance = FirstNonEmpty(Text(e["source"]?["host"]), Text(e["reportingInstance"]));
        return instance.Length == 0 ? component : $"{component}, {instance}";
    }

    public static string ServiceType(JsonObject service) => Text(service["spec"]?["type"]);

    // The server keeps clusterIP and clusterIPs[0] equal; an object stored without clusterIPs still has its clusterIP.
    public static string ClusterIp(JsonObject service) =>
        service["spec"]?["clusterIPs"] is JsonArray { Count: > 0 } ips ? Text(ips[0]) : Text(service["spec"]?["clusterIP"]);

    public static string ServiceExternalIp(JsonObject service)
    {
        var externalIps = (service["spec"]?["externalIPs"] as JsonArray ?? []).Select(Text).ToList();
        switch (ServiceType(service))
        {
            case "ClusterIP" or "NodePort":
                return externalIps.Count > 0 ? string.Join(",", externalIps) : "<none>";
            case "LoadBalancer":
                var balancers = LoadBalancerAddresses(service);
                var all = (balancers.Length > 0 ? balancers.Split(',') : []).Concat(externalIps).ToList();
                return all.Count > 0 ? string.Join(",", all) : "<pending>";
            case "ExternalName":
                return Text(service["spec"]?["externalName"]);
            default:
                return "<unknown>";
        }
    }

    /// <summary>status.loadBalancer.ingress as IPs (or hostnames where there is no IP), sorted, without repeats.</summary>
    public static string LoadBalancerAddresses(JsonObject obj)
    {
        var addresses = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var ingress in obj["status"]?["loadBalancer"]?["ingress"] as JsonArray ?? [])
        {
            var address = FirstNonEmpty(Text(ingress?["ip"]), Text(ingress?["hostname"]));
            if (address.Length > 0) addresses.Add(address);
        }
        return string.Join(",", addresses);
    }

    /// <summary>80/TCP, or 80:30080/TCP with a node port.</summary>
    public static string ServicePorts(JsonObject service) =>
        string.Join(",", (service["spec"]?["ports"] as JsonArray ?? []).Select(p =>
        {
            var protocol = Text(p?["protocol"]);
            var nodePort = Number(p?["nodePort"]);
            return nodePort > 0 ? $"{Number(p?["port"])}:{nodePort}/{protocol}" : $"{Number(p?["port"])}/{protocol}";
        }));

    /// <summary>Up to three ip:port (or ip for a subset without ports), then "+ N more...".</summary>
    public static string Endpoints(JsonObject endpoints)
    {
        if (endpoints["subsets"] is not JsonArray { Count: > 0 } subsets) return "<none>";
        const int Shown = 3;
        var all = new List<string>();
        foreach (var subset in subsets)
        {
            var ips = (subset?["addresses"] as JsonArray ?? []).Select(a => Text(a?["ip"])).ToList();
            if (subset?["ports"] is JsonArray { Count: > 0 } ports)
            {
                all.AddRange(ports.SelectMany(p => ips.Select(ip => HostPort(ip, Number(p?["port"])))));
            }
            else
            {
                all.AddRange(ips);
            }
        }
        var shown = string.Join(",", all.Take(Shown));
        return all.Count > Shown ? $"{shown} + {all.Count - Shown} more..." : shown;
    }

    private static string HostPort(string ip, long port) =>
        ip.Contains(':', StringComparison.Ordinal) ? $"[{ip}]:{port}" : $"{ip}:{port}";

    /// <summary>"resource: used/hard, ..." over status.hard, sorted; limits.* go to the Limit column, the rest to Request.</summary>
    public static string QuotaUsage(JsonObject quota, bool limits)
    {
        var hard = quota["status"]?["hard"] as JsonObject ?? [];
        var used = quota["status"]?["used"] as JsonObject;
        return string.Join(", ", hard.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Where(p => p.Key.StartsWith("limits.", StringComparison.Ordinal) == limits)
            .Select(p => $"{p.Key}: {FirstNonEmpty(Text(used?[p.Key]), "0")}/{Text(p.Value)}"));
    }

    /// <summary>A pointer's default: a Deployment or ReplicaSet without spec.replicas has 1.</summary>
    public static long Replicas(JsonObject workload) => workload["spec"]?["replicas"] is { } replicas ? Number(replicas) : 1;

    public static string JobStatus(JsonObject job)
    {
        var conditions = (job["status"]?["conditions"] as JsonArray ?? [])
            .Where(c => Text(c?["status"]) == "True").Select(c => Text(c?["type"])).ToHashSet();
        return conditions.Contains("Complete") ? "Complete"
            : conditions.Contains("Failed") ? "Failed"
            : job["metadata"]?["deletionTimestamp"] is not null ? "Terminating"
            : conditions.Contains("Suspended") ? "Suspended"
            : conditions.Contains("FailureTarget") ? "FailureTarget"
            : "Running";
    }

    public static string JobCompletions(JsonObject job)
    {
        var succeeded = Number(job["status"]?["succeeded"]);
        if (job["spec"]?["completions"] is { } completions) return $"{succeeded}/{Number(completions)}";
        var parallelism = Number(job["spec"]?["parallelism"]);
        return parallelism > 1 ? $"{succeeded}/1 of {parallelism}" : $"{succeeded}/1";
    }

    public static string JobDuration(JsonObject job, DateTimeOffset now)
    {
        if (!TryTime(job["status"]?["startTime"], out var start)) return "";
        return Duration((TryTime(job["status"]?["completionTime"], out var end) ? end : now) - start);
    }

    /// <summary>An int-or-string as the printer shows it (N/A when unset).</summary>
    public static string OrNotApplicable(JsonNode? intOrString) =>
        intOrString is JsonValue value ? value.TryGetValue<string>(out var text) ? text : Number(value).ToString(CultureInfo.InvariantCulture) : "N/A";

    /// <summary>The first three hosts the rules name, then "+ N more..." counting every rule; * when no rule names a host.</summary>
    public static string IngressHosts(JsonObject ingress)
    {
        var rules = ingress["spec"]?["rules"] as JsonArray ?? [];
        const int Shown = 3;
        var hosts = new List<string>();
        var more = false;
        foreach (var rule in rules)
        {
            more |= hosts.Count == Shown;
            if (!more && Text(rule?["host"]) is { Length: > 0 } host) hosts.Add(host);
        }
        if (hosts.Count == 0) return "*";
        return more ? $"{string.Join(",", hosts)} + {rules.Count - Shown} more..." : string.Join(",", hosts);
    }

    /// <summary>A binding's subjects of one kind, service accounts as namespace/name, joined by ", ".</summary>
    public static string Subjects(JsonObject binding, string kind) =>
        string.Join(", ", (binding["subjects"] as JsonArray ?? []).Where(s => Text(s?["kind"]) == kind)
            .Select(s => kind == "ServiceAccount" ? $"{Text(s?["namespace"])}/{Text(s?["name"])}" : Text(s?["name"])));

    public static string Containers(JsonNode? workloadSpec, string field) =>
        string.Join(",", (workloadSpec?["template"]?["spec"]?["containers"] as JsonArray ?? []).Select(c => Text(c?[field])));

    public static string Pairs(JsonObject? map) =>
        map is null ? "" : string.Join(",", map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={Text(p.Value)}"));

    /// <summary>
    /// A metav1.LabelSelector as labels.Selector.String() writes it: requirements sorted by key,
    /// k=v, k in (a,b), k notin (a,b), k, !k. "" for an empty or absent selector.
    /// </summary>
    public static string LabelSelector(JsonNode? selector)
    {
        var requirements = new List<(string Key, string Text)>();
        foreach (var (key, value) in selector?["matchLabels"] as JsonObject ?? [])
        {
            requirements.Add((key, $"{key}={Text(value)}"));
        }
        foreach (var expression in selector?["matchExpressions"] as JsonArray ?? [])
        {
            var key = Text(expression?["key"]);
            var values = string.Join(",", (expression?["values"] as JsonArray ?? []).Select(Text).Order(StringComparer.Ordinal));
            requirements.Add((key, Text(expression?["operator"]) switch
            {
                "In" => $"{key} in ({values})",
                "NotIn" => $"{key} notin ({values})",
                "DoesNotExist" => "!" + key,
                _ => key,
            }));
        }
        return string.Join(",", requirements.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Text));
    }

    public static int Count(JsonNode? node) => node switch
    {
        JsonObject map => map.Count,
        JsonArray list => list.Count,
        _ => 0,
    };

    public static string Since(JsonNode? timestamp, DateTimeOffset now) =>
        TryTime(timestamp, out var then) ? Age(then, now) : "<unknown>";

    public static string Age(DateTimeOffset then, DateTimeOffset now) => Duration(now - then);

    /// <summary>apimachinery's duration.HumanDuration: two units at most, the second only while it still matters.</summary>
    private static string Duration(TimeSpan age)
    {
        var seconds = (long)age.TotalSeconds;
        if (seconds < -1) return "<invalid>";
        if (seconds < 0) return "0s";
        if (seconds < 120) return $"{seconds}s";
        var minutes = seconds / 60;
        if (minutes < 10) return seconds % 60 == 0 ? $"{minutes}m" : $"{minutes}m{seconds % 60}s";
        if (minutes < 180) return $"{minutes}m";
        var hours = minutes / 60;
        if (hours < 8) return minutes % 60 == 0 ? $"{hours}h" : $"{hours}h{minutes % 60}m";
        if (hours < 48) return $"{hours}h";
        var days = hours / 24;
        if (hours < 24 * 8) return hours % 24 == 0 ? $"{days}d" : $"{days}d{hours % 24}h";
        if (hours < 24 * 365 * 2) return $"{days}d";
        var years = days / 365;
        if (hours < 24 * 365 * 8) return days % 365 == 0 ? $"{years}y" : $"{years}y{days % 365}d";
        return $"{years}y";
    }

    public static bool TryTime(JsonNode? timestamp, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(Text(timestamp), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time);

    public static string OrNone(string text) => text.Length > 0 ? text : "<none>";

    public static string OrUnknown(string text) => text.Length > 0 ? text : "<unknown>";

    private static string FirstNonEmpty(string a, string b) => a.Length > 0 ? a : b;

    public static long Number(JsonNode? node) => ObjectLifecycle.Number(node);

    public static bool IsTrue(JsonNode? node) => ObjectLifecycle.IsTrue(node);

    public static string Text(JsonNode? node) => ObjectLifecycle.Text(node);
}
