using System.Text.Json.Nodes;
using Plexus.KubeSim.Discovery;
using static Plexus.KubeSim.Api.TableCells;

namespace Plexus.KubeSim.Api;

/// <summary>One Table column: its definition and how a row's cell is read from the object.</summary>
internal sealed record TableColumn(string Name, int Priority, Func<JsonObject, DateTimeOffset, JsonNode?> Cell, string Type = "string");

/// <summary>
/// The server-side printers' columns per kind (k8s.io/kubernetes pkg/printers/internalversion):
/// all of them, priority 1 included, as the server prints "wide" and kubectl hides those. Where
/// the real server would have defaulted a field the simulator keeps absent (a Deployment's or
/// ReplicaSet's replicas, a CronJob's suspend), the cell shows the default.
/// </summary>
internal static class TableColumns
{
    private static readonly TableColumn NameColumn = new("Name", 0, (o, _) => Text(o["metadata"]?["name"]));
    private static readonly TableColumn Age = new("Age", 0, (o, now) => Since(o["metadata"]?["creationTimestamp"], now));

    public static List<TableColumn> For(ResourceType type) => (type.Group, type.Kind) switch
    {
        ("", "Pod") =>
        [
            NameColumn,
            new("Ready", 0, (o, _) => PodCells.Ready(o)),
            new("Status", 0, (o, _) => PodCells.Status(o)),
            new("Restarts", 0, (o, now) => PodCells.Restarts(o, now)),
            Age,
            new("IP", 1, (o, _) => OrNone(PodIp(o))),
            new("Node", 1, (o, _) => OrNone(Text(o["spec"]?["nodeName"]))),
            new("Nominated Node", 1, (o, _) => OrNone(Text(o["status"]?["nominatedNodeName"]))),
            new("Readiness Gates", 1, (o, _) => PodCells.ReadinessGates(o)),
        ],
        ("", "Namespace") => [NameColumn, new("Status", 0, (o, _) => Text(o["status"]?["phase"])), Age],
        ("", "Node") =>
        [
            NameColumn,
            new("Status", 0, (o, _) => NodeStatus(o)),
            new("Roles", 0, (o, _) => OrNone(NodeRoles(o))),
            Age,
            new("Version", 0, (o, _) => Text(o["status"]?["nodeInfo"]?["kubeletVersion"])),
            new("Internal-IP", 1, (o, _) => NodeAddress(o, "InternalIP")),
            new("External-IP", 1, (o, _) => NodeAddress(o, "ExternalIP")),
            new("OS-Image", 1, (o, _) => OrUnknown(Text(o["status"]?["nodeInfo"]?["osImage"]))),
            new("Kernel-Version", 1, (o, _) => OrUnknown(Text(o["status"]?["nodeInfo"]?["kernelVersion"]))),
            new("Container-Runtime", 1, (o, _) => OrUnknown(Text(o["status"]?["nodeInfo"]?["containerRuntimeVersion"]))),
        ],
        // events.k8s.io/v1 events are core events stored under another version: one printer for both.
        (_, "Event") when type.IsBuiltin =>
        [
            new("Last Seen", 0, (o, now) => Since(LastSeen(o), now)),
            new("Type", 0, (o, _) => Text(o["type"])),
            new("Reason", 0, (o, _) => Text(o["reason"])),
            new("Object", 0, (o, _) => InvolvedObject(o)),
            new("Subobject", 1, (o, _) => Text(o["involvedObject"]?["fieldPath"])),
            new("Source", 1, (o, _) => EventSource(o)),
            new("Message", 0, (o, _) => Text(o["message"]).Trim()),
            new("First Seen", 1, (o, now) => Since(FirstSeen(o), now)),
            new("Count", 1, (o, _) => EventCount(o)),
            NameColumn with { Priority = 1 },
        ],
        ("", "Service") =>
        [
            NameColumn,
            new("Type", 0, (o, _) => ServiceType(o)),
            new("Cluster-IP", 0, (o, _) => OrNone(ClusterIp(o))),
            new("External-IP", 0, (o, _) => ServiceExternalIp(o)),
            new("Port(s)", 0, (o, _) => OrNone(ServicePorts(o))),
            Age,
            new("Selector", 1, (o, _) => OrNone(Pairs(o["spec"]?["selector"] as JsonObject))),
        ],
        ("", "Endpoints") => [NameColumn, new("Endpoints", 0, (o, _) => Endpoints(o)), Age],
        ("", "ConfigMap") => [NameColumn, new("Data", 0, (o, _) => Count(o["data"]) + Count(o["binaryData"])), Age],
        ("", "Secret") => [NameColumn, new("Type", 0, (o, _) => Text(o["type"])), new("Data", 0, (o, _) => Count(o["data"])), Age],
        ("", "ServiceAccount") => [NameColumn, new("Secrets", 0, (o, _) => Count(o["secrets"])), Age],
        ("", "ResourceQuota") =>
        [
            NameColumn, Age,
            new("Request", 0, (o, _) => QuotaUsage(o, limits: false)),
            new("Limit", 0, (o, _) => QuotaUsage(o, limits: true)),
        ],
        ("apps", "DaemonSet") =>
        [
            NameColumn,
            Integer("Desired", o => o["status"]?["desiredNumberScheduled"]),
            Integer("Current", o => o["status"]?["currentNumberScheduled"]),
            Integer("Ready", o => o["status"]?["numberReady"]),
            Integer("Up-to-date", o => o["status"]?["updatedNumberScheduled"]),
            Integer("Available", o => o["status"]?["numberAvailable"]),
            new("Node Selector", 0, (o, _) => OrNone(Pairs(o["spec"]?["template"]?["spec"]?["nodeSelector"] as JsonObject))),
            Age,
            .. TemplateColumns(o => o["spec"], o => OrNone(LabelSelector(o["spec"]?["selector"]))),
        ],
        ("apps", "Deployment") =>
        [
            NameColumn,
            new("Ready", 0, (o, _) => $"{Number(o["status"]?["readyReplicas"])}/{Replicas(o)}"),
            new("Up-to-date", 0, (o, _) => Number(o["status"]?["updatedReplicas"])),
            new("Available", 0, (o, _) => Number(o["status"]?["availableReplicas"])),
            Age,
            // printDeployment prints an empty selector as nothing, where the other workloads say <none>.
            .. TemplateColumns(o => o["spec"], o => LabelSelector(o["spec"]?["selector"])),
        ],
        ("apps", "ReplicaSet") =>
        [
            NameColumn,
            new("Desired", 0, (o, _) => Replicas(o), "integer"),
            Integer("Current", o => o["status"]?["replicas"]),
            Integer("Ready", o => o["status"]?["readyReplicas"]),
            Age,
            .. TemplateColumns(o => o["spec"], o => OrNone(LabelSelector(o["spec"]?["selector"]))),
        ],
        ("batch", "Job") =>
        [
            NameColumn,
            new("Status", 0, (o, _) => JobStatus(o)),
            new("Completions", 0, (o, _) => JobCompletions(o)),
            new("Duration", 0, (o, now) => JobDuration(o, now)),
            Age,
            .. TemplateColumns(o => o["spec"], o => OrNone(LabelSelector(o["spec"]?["selector"]))),
        ],
        ("batch", "CronJob") =>
        [
            NameColumn,
            new("Schedule", 0, (o, _) => Text(o["spec"]?["schedule"])),
            new("Timezone", 0, (o, _) => OrNone(Text(o["spec"]?["timeZone"]))),
            // The server defaults suspend to false, which printBoolPtr shows as False.
            new("Suspend", 0, (o, _) => IsTrue(o["spec"]?["suspend"]) ? "True" : "False", "boolean"),
            new("Active", 0, (o, _) => Count(o["status"]?["active"]), "integer"),
            new("Last Schedule", 0, (o, now) => o["status"]?["lastScheduleTime"] is { } last ? Since(last, now) : "<none>"),
            Age,
            .. TemplateColumns(o => o["spec"]?["jobTemplate"]?["spec"],
                o => OrNone(LabelSelector(o["spec"]?["jobTemplate"]?["spec"]?["selector"]))),
        ],
        ("policy", "PodDisruptionBudget") =>
        [
            NameColumn,
            new("Min Available", 0, (o, _) => OrNotApplicable(o["spec"]?["minAvailable"])),
            new("Max Unavailable", 0, (o, _) => OrNotApplicable(o["spec"]?["maxUnavailable"])),
            Integer("Allowed Disruptions", o => o["status"]?["disruptionsAllowed"]),
            Age,
        ],
        ("scheduling.k8s.io", "PriorityClass") =>
        [
            NameColumn,
            new("Value", 0, (o, _) => Number(o["value"]), "integer"),
            new("Global-Default", 0, (o, _) => IsTrue(o["globalDefault"]), "boolean"),
            Age,
            new("PreemptionPolicy", 0, (o, _) => Text(o["preemptionPolicy"])),
        ],
        ("networking.k8s.io", "Ingress") =>
        [
            NameColumn,
            new("Class", 0, (o, _) => OrNone(Text(o["spec"]?["ingressClassName"]))),
            new("Hosts", 0, (o, _) => IngressHosts(o)),
            new("Address", 0, (o, _) => LoadBalancerAddresses(o)),
            new("Ports", 0, (o, _) => o["spec"]?["tls"] is JsonArray { Count: > 0 } ? "80, 443" : "80"),
            Age,
        ],
        ("rbac.authorization.k8s.io", "RoleBinding" or "ClusterRoleBinding") =>
        [
            NameColumn,
            new("Role", 0, (o, _) => $"{Text(o["roleRef"]?["kind"])}/{Text(o["roleRef"]?["name"])}"),
            Age,
            new("Users", 1, (o, _) => Subjects(o, "User")),
            new("Groups", 1, (o, _) => Subjects(o, "Group")),
            new("ServiceAccounts", 1, (o, _) => Subjects(o, "ServiceAccount")),
        ],
        ("coordination.k8s.io", "Lease") => [NameColumn, new("Holder", 0, (o, _) => Text(o["spec"]?["holderIdentity"])), Age],
        // Custom resources without printer columns get Name and Age; built-in kinds without a
        // printer (roles, CRDs) the registry's default table convertor: Name and Created At.
        _ when type.IsBuiltin => [NameColumn, new("Created At", 0, (o, _) => Text(o["metadata"]?["creationTimestamp"]), "date")],
        _ => [NameColumn, Age],
    };

    private static TableColumn Integer(string name, Func<JsonObject, JsonNode?> field) =>
        new(name, 0, (o, _) => Number(field(o)), "integer");

    /// <summary>The wide columns of a workload: its pod template's containers and images, and its selector.</summary>
    private static TableColumn[] TemplateColumns(Func<JsonObject, JsonNode?> spec, Func<JsonObject, string> selector) =>
    [
        new("Containers", 1, (o, _) => Containers(spec(o), "name")),
        new("Images", 1, (o, _) => Containers(spec(o), "image")),
        new("Selector", 1, (o, _) => selector(o)),
    ];
}
