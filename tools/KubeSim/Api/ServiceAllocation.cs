using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plexus.KubeSim.Storage;
using static Plexus.KubeSim.Api.ObjectLifecycle;

namespace Plexus.KubeSim.Api;

/// <summary>
/// What kube-apiserver's Service storage does to a Service before it is stored, in its order: the
/// defaults (type ClusterIP, TCP, targetPort = port, sessionAffinity None or ClientIP's timeout, traffic policies);
/// the cluster IP fields as the client sent them (<see cref="ServiceClusterIps"/>: kept on
/// update, checked, IP families defaulted); on update the node ports the client left out (patchAllocatedValues);
/// for a new Service a cluster IP from 10.96.0.0/12 and node ports from 30000-32767 for what has none (also the health check node
/// port of a LoadBalancer with externalTrafficPolicy Local), picked as the real allocators
/// pick (<see cref="RangeAllocation"/>), a taken or out-of-range one refused 422 with the allocator's
/// words; on update the fields the new type no longer uses (dropTypeDependentFields); then
/// <see cref="ServiceValidation"/>. Runs inside the store's write, so two creates never get the same
/// address, and what an update drops is free for the next one.
/// </summary>
internal static class ServiceAllocation
{
    private const string IpRange = "10.96.0.0/12";
    private const uint NetworkAddress = 10u << 24 | 96u << 16;
    private const uint RangeSize = 1u << 20;
    // The bitmap leaves out the network and broadcast addresses: offset 0 is 10.96.0.1.
    private const int AddressCount = (int)RangeSize - 2;
    private const int FirstNodePort = 30000;
    private const int LastNodePort = 32767;
    private const int NodePortCount = LastNodePort - FirstNodePort + 1;
    // calculateRangeOffset: min(max(16, size/16), 256) addresses and min(max(16, size/32), 128) ports form the static band.
    private const int StaticAddresses = 256;
    private const int StaticNodePorts = NodePortCount / 32;
    private const int DefaultClientIpAffinitySeconds = 3 * 60 * 60;

    public static void Prepare(ObjectStore store, string storageKey, JsonObject service, JsonObject? previous)
    {
        var metadata = service["metadata"]!;
        var ns = Text(metadata["namespace"]);
        var name = Text(metadata["name"]);
        var spec = service["spec"] as JsonObject ?? [];
        service["spec"] = spec;
        var previousSpec = previous?["spec"] as JsonObject;
        DropOmittedWhenEmpty(spec);
        DefaultWhenEmpty(spec, "type", "ClusterIP");
        var type = Text(spec["type"]);
        DefaultSessionAffinity(spec);
        var ports = spec["ports"] as JsonArray ?? [];
        foreach (var port in ports.OfType<JsonObject>())
        {
            DefaultWhenEmpty(port, "protocol", "TCP");
            if (port["targetPort"] is null || (Text(port["targetPort"]).Length == 0 && Number(port["targetPort"]) == 0))
            {
                port["targetPort"] = port["port"]?.DeepClone();
            }
        }
        ServiceClusterIps.Prepare(spec, previousSpec, name);

        var others = store.List(storageKey, null, _ => true).Items
            .Where(o => o.Namespace != ns || o.Name != name).Select(o => o.Node["spec"]).ToList();
        if (type == "ExternalName")
        {
            // Defaulted once by mistake, the real server hides it on every read of an ExternalName Service.
            spec.Remove("internalTrafficPolicy");
        }
        else
        {
            // Only a new Service, or one that was an ExternalName, gets an address; an update's changed one is validation's to refuse.
            if (previousSpec is null || Text(previousSpec["type"]) == "ExternalName") AllocateClusterIp(spec, others, name);
            spec["internalTrafficPolicy"] ??= "Cluster";
        }
        if (ServiceValidation.ExternallyAccessible(spec)) DefaultWhenEmpty(spec, "externalTrafficPolicy", "Cluster");
        if (ServiceValidation.NeedsNodePorts(type))
        {
            if (type == "LoadBalancer") spec["allocateLoadBalancerNodePorts"] ??= true;
            // A LoadBalancer may opt out of node ports nobody asked for; named ones are still allocated.
            var allocateMissing = type != "LoadBalancer" || IsTrue(spec["allocateLoadBalancerNodePorts"]);
            var taken = others.SelectMany(AllocatedNodePorts).ToHashSet();
            if (previousSpec is null)
            {
                var claims = new NodePortClaims(taken, name);
                AllocateNodePortsOnCreate(ports, allocateMissing, claims);
                if (ServiceValidation.NeedsHealthCheck(spec)) AllocateHealthCheckNodePort(spec, claims);
            }
            else
            {
                var previousPorts = previousSpec["ports"] as JsonArray ?? [];
                if (ServiceValidation.NeedsNodePorts(Text(previousSpec["type"]))) KeepNodePorts(ports, previousPorts);
                // The old version's node ports stay allocated until the update is stored: a new one never reuses them.
                taken.UnionWith(AllocatedNodePorts(previousSpec));
                var claims = new NodePortClaims(taken, name);
                AllocateNodePortsOnUpdate(ports, NodePorts(previousSpec).ToHashSet(), allocateMissing, claims);
                var neededHealthCheck = ServiceValidation.NeedsHealthCheck(previousSpec);
                if (neededHealthCheck && ServiceValidation.NeedsHealthCheck(spec) && Number(spec["healthCheckNodePort"]) == 0)
                {
                    spec["healthCheckNodePort"] = previousSpec["healthCheckNodePort"]?.DeepClone();
                }
                else if (!neededHealthCheck && ServiceValidation.NeedsHealthCheck(spec))
                {
                    AllocateHealthCheckNodePort(spec, claims);
                }
            }
        }
        if (previous is not null) DropTypeDependentFields(service, spec, previousSpec ?? []);
        if (ServiceValidation.Causes(spec, previousSpec) is [_, ..] causes) throw ApiException.Invalid("Service", name, causes);
    }

    // The real server decodes into Go structs: a field tagged omitempty that holds its zero value ("", 0,
    // false, null, an empty list or map) is the same as a missing one and is never stored or returned. Pointer
    // fields (ipFamilyPolicy, internalTrafficPolicy, allocateLoadBalancerNodePorts) keep an empty value.
    private static void DropOmittedWhenEmpty(JsonObject spec)
    {
        DropWhenEmpty(spec, "type", "clusterIP", "externalName", "externalTrafficPolicy", "loadBalancerIP", "sessionAffinity",
            "healthCheckNodePort", "publishNotReadyAddresses", "ports", "selector", "clusterIPs", "ipFamilies", "externalIPs",
            "loadBalancerSourceRanges");
        foreach (var port in (spec["ports"] as JsonArray ?? []).OfType<JsonObject>()) DropWhenEmpty(port, "name", "protocol", "nodePort");
    }

    private static void DropWhenEmpty(JsonObject fields, params string[] names)
    {
        foreach (var name in names.Where(name => IsGoZeroValue(fields[name]))) fields.Remove(name);
    }

    private static bool IsGoZeroValue(JsonNode? node) => node switch
    {
        null => true,
        JsonArray list => list.Count == 0,
        JsonObject map => map.Count == 0,
        _ => node.GetValueKind() switch
        {
            JsonValueKind.String => Text(node).Length == 0,
            JsonValueKind.Number => Number(node) == 0,
            JsonValueKind.False => true,
            _ => false,
        },
    };

    // SetDefaults_Service defaults its string fields when they are empty, not only when they are missing;
    // pointer fields (internalTrafficPolicy, allocateLoadBalancerNodePorts) only when missing or null.
    private static void DefaultWhenEmpty(JsonObject fields, string field, string value)
    {
        if (Text(fields[field]).Length == 0) fields[field] = value;
    }

    // SetDefaults_Service: no affinity needs no config; a ClientIP one without a timeout gets the default three hours.
    private static void DefaultSessionAffinity(JsonObject spec)
    {
        DefaultWhenEmpty(spec, "sessionAffinity", "None");
        var affinity = Text(spec["sessionAffinity"]);
        if (affinity == "None")
        {
            spec.Remove("sessionAffinityConfig");
        }
        else if (affinity == "ClientIP"
            && ((spec["sessionAffinityConfig"] as JsonObject)?["clientIP"] as JsonObject)?["timeoutSeconds"] is null)
        {
            spec["sessionAffinityConfig"] = new JsonObject { ["clientIP"] = new JsonObject { ["timeoutSeconds"] = DefaultClientIpAffinitySeconds } };
        }
    }

    // allocClusterIPs: a headless Service has none; a named address is claimed, a missing one picked.
    private static void AllocateClusterIp(JsonObject spec, List<JsonNode?> others, string name)
    {
        var requested = Text(spec["clusterIP"]);
        if (requested == "None") return;
        if (requested.Length == 0)
        {
            var taken = others.SelectMany(ClusterIps).Select(AddressValue).OfType<uint>().ToHashSet();
            var offset = RangeAllocation.PickFree(AddressCount, StaticAddresses, i => taken.Contains(NetworkAddress + 1 + (uint)i), Random.Shared)
                ?? throw ApiException.Internal("failed to allocate a serviceIP: range is full");
            requested = Address(NetworkAddress + 1 + (uint)offset);
        }
        else
        {
            var problem = AddressValue(requested) is not { } value || !InRange(value)
                ? $"the provided IP ({requested}) is not in the valid range. The range of valid IPs is {IpRange}"
                : others.SelectMany(ClusterIps).Contains(requested) ? "provided IP is already allocated" : null;
            if (problem is not null)
            {
                throw ApiException.Invalid("Service", name,
                    [$"spec.clusterIPs: Invalid value: {ServiceClusterIps.GoStrings(ServiceClusterIps.Addresses(spec))}: failed to allocate IP {requested}: {problem}"]);
            }
        }
        spec["clusterIP"] = requested;
        spec["clusterIPs"] = new JsonArray(requested);
    }

    // patchAllocatedValues: a port an update sends without a node port keeps the one its name had, unless
    // another port now names that one.
    private static void KeepNodePorts(JsonArray ports, JsonArray previousPorts)
    {
        var byName = new Dictionary<string, long>();
        foreach (var port in previousPorts) byName[Text(port?["name"])] = Number(port?["nodePort"]);
        var named = ports.Select(p => Number(p?["nodePort"])).ToHashSet();
        foreach (var port in ports.OfType<JsonObject>().Where(p => Number(p["nodePort"]) == 0))
        {
            if (byName.GetValueOrDefault(Text(port["name"])) is var kept and not 0 && !named.Contains(kept)) port["nodePort"] = kept;
        }
    }

    // initNodePorts: ports with the same number share one node port (a DNS port's UDP and TCP halves), so a
    // node port named for two port numbers is refused as already allocated.
    private static void AllocateNodePortsOnCreate(JsonArray ports, bool allocateMissing, NodePortClaims claims)
    {
        var byPortNumber = new Dictionary<long, long>();
        for (var i = 0; i < ports.Count; i++)
        {
            var port = (JsonObject)ports[i]!;
            var nodePort = Number(port["nodePort"]);
            if (nodePort == 0 && !allocateMissing) continue;
            var number = Number(port["port"]);
            if (byPortNumber.TryGetValue(number, out var shared))
            {
                if (nodePort == 0) nodePort = shared;
                else if (nodePort != shared) claims.Claim(nodePort, i);
            }
            else
            {
                var requested = ports.Select(p => (Port: Number(p?["port"]), NodePort: Number(p?["nodePort"])))
                    .FirstOrDefault(p => p.Port == number && p.NodePort != 0).NodePort;
                nodePort = requested != 0 ? claims.Claim(requested, i) : claims.Next();
                byPortNumber[number] = nodePort;
            }
            port["nodePort"] = nodePort;
        }
    }

    // updateNodePorts: every port without one gets its own; a node port the old version held is kept unchecked;
    // two ports on one node port and protocol are a plain error (500), found before validation runs.
    private static void AllocateNodePortsOnUpdate(JsonArray ports, HashSet<long> held, bool allocateMissing, NodePortClaims claims)
    {
        var claimed = new HashSet<long>();
        var assigned = new HashSet<(string, long)>();
        for (var i = 0; i < ports.Count; i++)
        {
            var port = (JsonObject)ports[i]!;
            var nodePort = Number(port["nodePort"]);
            if (nodePort == 0 && !allocateMissing) continue;
            if (nodePort == 0) nodePort = claims.Next();
            else if (!held.Contains(nodePort) && claimed.Add(nodePort)) claims.Claim(nodePort, i);
            var protocol = Text(port["protocol"]);
            if (!assigned.Add((protocol, nodePort))) throw new ApiException(500, "", $"duplicate nodePort: {{{protocol} {nodePort}}}");
            port["nodePort"] = nodePort;
        }
    }

    // allocHealthCheckNodePort: the allocator's refusal is a plain error here, wrapped as an internal one (500).
    private static void AllocateHealthCheckNodePort(JsonObject spec, NodePortClaims claims)
    {
        var requested = Number(spec["healthCheckNodePort"]);
        if (requested == 0)
        {
            spec["healthCheckNodePort"] = claims.TryNext() ?? throw ApiException.Internal("failed to allocate a HealthCheck NodePort 0: range is full");
        }
        else if (claims.TryClaim(requested) is { } problem)
        {
            throw ApiException.Internal($"failed to allocate requested HealthCheck NodePort {requested}: {problem}");
        }
    }

    // dropTypeDependentFields: an update to a type that no longer uses a field clears it when the update left
    // it as it was (a value the client changed stays, for validation to refuse); what is cleared is free again.
    private static void DropTypeDependentFields(JsonObject service, JsonObject spec, JsonObject previousSpec)
    {
        var type = Text(spec["type"]);
        var previousType = Text(previousSpec["type"]);
        bool Same(string field) => JsonNode.DeepEquals(spec[field], previousSpec[field]);
        if (previousType != "ExternalName" && type == "ExternalName")
        {
            if (Same("clusterIP") && Same("clusterIPs"))
            {
                spec.Remove("clusterIP");
                spec.Remove("clusterIPs");
            }
            if (Same("ipFamilies")) spec.Remove("ipFamilies");
            if (Same("ipFamilyPolicy")) spec.Remove("ipFamilyPolicy");
        }
        var ports = (spec["ports"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var held = NodePorts(previousSpec).ToHashSet();
        if (ServiceValidation.NeedsNodePorts(previousType) && !ServiceValidation.NeedsNodePorts(type) && ports.All(p => Number(p["nodePort"]) is 0 || held.Contains(Number(p["nodePort"]))))
        {
            foreach (var port in ports) port.Remove("nodePort");
        }
        if (ServiceValidation.NeedsHealthCheck(previousSpec) && !ServiceValidation.NeedsHealthCheck(spec) && Same("healthCheckNodePort"))
        {
            spec.Remove("healthCheckNodePort");
        }
        if (previousType == "LoadBalancer" && type != "LoadBalancer")
        {
            if (Same("allocateLoadBalancerNodePorts")) spec.Remove("allocateLoadBalancerNodePorts");
            if (Same("loadBalancerClass")) spec.Remove("loadBalancerClass");
        }
        if (ServiceValidation.ExternallyAccessible(previousSpec) && !ServiceValidation.ExternallyAccessible(spec) && Same("externalTrafficPolicy"))
        {
            spec.Remove("externalTrafficPolicy");
        }
        if (type != "LoadBalancer" && service["status"] is JsonObject status) status["loadBalancer"] = new JsonObject();
    }

    /// <summary>Node ports a create or update claims: free unless another Service or another port here holds them.</summary>
    private sealed class NodePortClaims(HashSet<long> taken, string service)
    {
        /// <summary>The allocator's refusal of a named node port, or null once it is claimed.</summary>
        public string? TryClaim(long nodePort) => nodePort is < FirstNodePort or > LastNodePort
            ? $"provided port is not in the valid range. The range of valid ports is {FirstNodePort}-{LastNodePort}"
            : !taken.Add(nodePort) ? "provided port is already allocated" : null;

        public long Claim(long nodePort, int index) => TryClaim(nodePort) is { } problem
            ? throw ApiException.Invalid("Service", service, [$"spec.ports[{index}].nodePort: Invalid value: {nodePort}: {problem}"])
            : nodePort;

        /// <summary>A free node port, claimed; null when the range is full.</summary>
        public long? TryNext()
        {
            if (RangeAllocation.PickFree(NodePortCount, StaticNodePorts, i => taken.Contains(FirstNodePort + i), Random.Shared) is not { } offset) return null;
            taken.Add(FirstNodePort + offset);
            return FirstNodePort + offset;
        }

        public long Next() => TryNext() ?? throw ApiException.Internal("failed to allocate a nodePort: range is full");
    }

    private static IEnumerable<string> ClusterIps(JsonNode? spec) =>
        new[] { Text(spec?["clusterIP"]) }.Concat((spec?["clusterIPs"] as JsonArray ?? []).Select(Text))
            .Where(ip => ip.Length > 0 && ip != "None");

    private static IEnumerable<long> NodePorts(JsonNode? spec) =>
        (spec?["ports"] as JsonArray ?? []).Select(p => Number(p?["nodePort"])).Where(p => p != 0);

    // What a Service holds of the node port range: its ports' node ports and its health check node port.
    private static IEnumerable<long> AllocatedNodePorts(JsonNode? spec) =>
        NodePorts(spec).Append(Number(spec?["healthCheckNodePort"])).Where(p => p != 0);

    private static uint? AddressValue(string ip)
    {
        if (ServiceClusterIps.ParseIp(ip) is not { AddressFamily: System.Net.Sockets.AddressFamily.InterNetwork } address) return null;
        var bytes = address.GetAddressBytes();
        return (uint)bytes[0] << 24 | (uint)bytes[1] << 16 | (uint)bytes[2] << 8 | bytes[3];
    }

    // The network and broadcast addresses of the range are never allocated.
    private static bool InRange(uint value) => value > NetworkAddress && value < NetworkAddress + RangeSize - 1;

    private static string Address(uint value) =>
        string.Create(CultureInfo.InvariantCulture, $"{value >> 24}.{(value >> 16) & 255}.{(value >> 8) & 255}.{value & 255}");
}
