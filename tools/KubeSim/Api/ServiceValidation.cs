using System.Text.Json.Nodes;
using static Plexus.KubeSim.Api.ObjectLifecycle;

namespace Plexus.KubeSim.Api;

/// <summary>
/// The checks of kube-apiserver's ValidateService that clients run into (ports, protocols, names,
/// node ports, the type's own fields), in its order and with its words. They run after allocation,
/// as there: an allocator's refusal comes first (but the cluster IP fields as sent were checked before
/// it, by <see cref="ServiceClusterIps"/>).
/// </summary>
internal static class ServiceValidation
{
    private const string SupportedTypes = "\"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"";
    private const string SupportedProtocols = "\"SCTP\", \"TCP\", \"UDP\"";

    public static bool NeedsNodePorts(string type) => type is "NodePort" or "LoadBalancer";

    public static bool ExternallyAccessible(JsonObject spec) =>
        Text(spec["type"]) is var type && (NeedsNodePorts(type) || (type == "ClusterIP" && spec["externalIPs"] is JsonArray { Count: > 0 }));

    public static bool NeedsHealthCheck(JsonObject spec) => Text(spec["type"]) == "LoadBalancer" && Text(spec["externalTrafficPolicy"]) == "Local";

    /// <summary>What is wrong with <paramref name="spec"/>; <paramref name="previousSpec"/> is the stored one on update.</summary>
    public static List<string> Causes(JsonObject spec, JsonObject? previousSpec)
    {
        // ValidateServiceUpdate checks the addresses stay before it runs ValidateService.
        var causes = previousSpec is null ? [] : ServiceClusterIps.UpdateCauses(spec, previousSpec).ToList();
        if (previousSpec is not null && NeedsHealthCheck(previousSpec) && NeedsHealthCheck(spec)
            && Number(spec["healthCheckNodePort"]) != Number(previousSpec["healthCheckNodePort"]))
        {
            causes.Add("spec.healthCheckNodePort: Forbidden: field is immutable");
        }
        var type = Text(spec["type"]);
        var ports = (spec["ports"] as JsonArray ?? []).Select(p => p as JsonObject ?? []).ToList();
        var headless = ServiceClusterIps.IsHeadless(spec);
        if (ports.Count == 0 && !headless && type != "ExternalName") causes.Add("spec.ports: Required value");
        switch (type)
        {
            case "LoadBalancer" or "NodePort" when headless:
                causes.Add($"spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for {type} services");
                break;
            case "ExternalName":
                foreach (var field in new[] { "clusterIPs", "ipFamilies", "ipFamilyPolicy" })
                {
                    if (spec[field] is not (null or JsonArray { Count: 0 })) causes.Add($"spec.{field}: Forbidden: may not be set for ExternalName services");
                }
                if (Text(spec["externalName"]).Length == 0) causes.Add("spec.externalName: Required value");
                break;
        }

        var names = new HashSet<string>();
        for (var i = 0; i < ports.Count; i++)
        {
            var name = Text(ports[i]["name"]);
            if (ports.Count > 1 && name.Length == 0) causes.Add($"spec.ports[{i}].name: Required value");
            else if (name.Length > 0 && !names.Add(name)) causes.Add($"spec.ports[{i}].name: Duplicate value: \"{name}\"");
            if (Number(ports[i]["port"]) is var port && PortNumberProblem(port) is { } problem)
            {
                causes.Add($"spec.ports[{i}].port: Invalid value: {port}: {problem}");
            }
            var protocol = Text(ports[i]["protocol"]);
            if (protocol.Length == 0) causes.Add($"spec.ports[{i}].protocol: Required value");
            else if (protocol is not ("TCP" or "UDP" or "SCTP"))
            {
                causes.Add($"spec.ports[{i}].protocol: Unsupported value: \"{protocol}\": supported values: {SupportedProtocols}");
            }
        }

        if (type is not ("ClusterIP" or "ExternalName" or "LoadBalancer" or "NodePort"))
        {
            causes.Add($"spec.type: Unsupported value: \"{type}\": supported values: {SupportedTypes}");
        }
        if (type == "ClusterIP")
        {
            causes.AddRange(ports.Index().Where(p => Number(p.Item["nodePort"]) != 0)
                .Select(p => $"spec.ports[{p.Index}].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"));
        }
        causes.AddRange(Repeated(ports, "nodePort").Where(p => p.Value != 0)
            .Select(p => $"spec.ports[{p.Index}].nodePort: Duplicate value: {p.Value}"));
        // The key is a core.ServicePort holding only the protocol and port, printed with Go's %#v.
        causes.AddRange(Repeated(ports, "port").Select(p =>
            $"spec.ports[{p.Index}]: Duplicate value: core.ServicePort{{Name:\"\", Protocol:\"{p.Protocol}\", AppProtocol:(*string)(nil), " +
            $"Port:{p.Value}, TargetPort:intstr.IntOrString{{Type:0, IntVal:0, StrVal:\"\"}}, NodePort:0}}"));
        if (spec["allocateLoadBalancerNodePorts"] is not null && type != "LoadBalancer")
        {
            causes.Add("spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is 'LoadBalancer'");
        }
        causes.AddRange(TrafficPolicyCauses(spec));
        return causes;
    }

    private static string? PortNumberProblem(long port) => port is >= 1 and <= 65535 ? null : "must be between 1 and 65535, inclusive";

    // validateServiceExternalTrafficPolicy and the internal policy's values.
    private static IEnumerable<string> TrafficPolicyCauses(JsonObject spec)
    {
        var external = Text(spec["externalTrafficPolicy"]);
        if (!ExternallyAccessible(spec))
        {
            if (external.Length > 0) yield return $"spec.externalTrafficPolicy: Invalid value: \"{external}\": may only be set for externally-accessible services";
        }
        else if (external.Length == 0) yield return "spec.externalTrafficPolicy: Required value";
        else if (external is not ("Cluster" or "Local"))
        {
            yield return $"spec.externalTrafficPolicy: Unsupported value: \"{external}\": supported values: \"Cluster\", \"Local\"";
        }
        var healthCheck = Number(spec["healthCheckNodePort"]);
        if (!NeedsHealthCheck(spec))
        {
            if (healthCheck != 0)
            {
                yield return $"spec.healthCheckNodePort: Invalid value: {healthCheck}: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'";
            }
        }
        else if (healthCheck == 0) yield return "spec.healthCheckNodePort: Required value";
        else if (PortNumberProblem(healthCheck) is { } problem) yield return $"spec.healthCheckNodePort: Invalid value: {healthCheck}: {problem}";
        // A pointer there: an empty one is not defaulted, so it is refused like any other value.
        if (spec["internalTrafficPolicy"] is { } internalNode && Text(internalNode) is var internalPolicy && internalPolicy is not ("Cluster" or "Local"))
        {
            yield return $"spec.internalTrafficPolicy: Unsupported value: \"{internalPolicy}\": supported values: \"Cluster\", \"Local\"";
        }
    }

    // Ports repeating another's protocol and value of the field: a DNS port's UDP and TCP halves may share a port and a node port.
    private static IEnumerable<(int Index, string Protocol, long Value)> Repeated(List<JsonObject> ports, string field)
    {
        var seen = new HashSet<(string, long)>();
        for (var i = 0; i < ports.Count; i++)
        {
            var key = (Text(ports[i]["protocol"]), Number(ports[i][field]));
            if (!seen.Add(key)) yield return (i, key.Item1, key.Item2);
        }
    }
}
