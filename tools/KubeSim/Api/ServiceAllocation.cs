using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Plexus.KubeSim.Storage;

namespace Plexus.KubeSim.Api;

/// <summary>
/// What kube-apiserver's Service storage does to a Service before it is stored: the defaults
/// (type ClusterIP, TCP, targetPort = port, sessionAffinity None, traffic policies, IPv4 single
/// stack), allocations kept across an update that leaves them out, and a cluster IP from
/// 10.96.0.0/12 and node ports from 30000-32767 for what has none, picked as the real allocators
/// pick (<see cref="RangeAllocation"/>); a taken or out-of-range IP or port is refused 422 with the
/// allocator's words. Runs inside the store's write, so two creates never get the same address.
/// </summary>
internal static class ServiceAllocation
{
    private const string IpRange = "10.96.0.0/12";
    private const uint NetworkAddress = 10u << 24 | 96u << 16;
    private const uint RangeSize = 1u << 20;
    private const int FirstNodePort = 30000;
    private const int LastNodePort = 32767;
    // The bitmap leaves out the network and broadcast addresses: offset 0 is 10.96.0.1.
    private const int AddressCount = (int)RangeSize - 2;
    private const int NodePortCount = LastNodePort - FirstNodePort + 1;
    // calculateRangeOffset: min(max(16, size/16), 256) addresses and min(max(16, size/32), 128) ports form the static band.
    private const int StaticAddresses = 256;
    private const int StaticNodePorts = NodePortCount / 32;

    public static void Prepare(ObjectStore store, string storageKey, JsonObject service, JsonObject? previous)
    {
        var metadata = service["metadata"]!;
        var ns = ObjectLifecycle.Text(metadata["namespace"]);
        var name = ObjectLifecycle.Text(metadata["name"]);
        var spec = service["spec"] as JsonObject ?? [];
        service["spec"] = spec;
        var type = ObjectLifecycle.Text(spec["type"]) is { Length: > 0 } given ? given : "ClusterIP";
        spec["type"] = type;
        spec["sessionAffinity"] ??= "None";
        var ports = spec["ports"] as JsonArray ?? [];
        foreach (var port in ports.OfType<JsonObject>())
        {
            if (ObjectLifecycle.Text(port["protocol"]).Length == 0) port["protocol"] = "TCP";
            if (port["targetPort"] is null || (ObjectLifecycle.Text(port["targetPort"]).Length == 0 && ObjectLifecycle.Number(port["targetPort"]) == 0))
            {
                port["targetPort"] = port["port"]?.DeepClone();
            }
        }
        if (type == "ExternalName") return;

        var others = store.List(storageKey, null, _ => true).Items
            .Where(o => o.Namespace != ns || o.Name != name).Select(o => o.Node["spec"]).ToList();
        KeepOrAllocateClusterIp(spec, previous?["spec"], others, name);
        spec["internalTrafficPolicy"] ??= "Cluster";
        if (type is "NodePort" or "LoadBalancer")
        {
            spec["externalTrafficPolicy"] ??= "Cluster";
            if (type == "LoadBalancer") spec["allocateLoadBalancerNodePorts"] ??= true;
            KeepOrAllocateNodePorts(ports, previous?["spec"]?["ports"] as JsonArray, others, name);
        }
    }

    private static void KeepOrAllocateClusterIp(JsonObject spec, JsonNode? previousSpec, List<JsonNode?> others, string name)
    {
        var requested = ObjectLifecycle.Text(spec["clusterIP"]);
        var kept = ObjectLifecycle.Text(previousSpec?["clusterIP"]);
        if (requested.Length == 0 && kept.Length > 0)
        {
            requested = kept;
        }
        else if (requested.Length > 0 && kept.Length > 0 && requested != kept)
        {
            throw ApiException.Invalid("Service", name, [$"spec.clusterIPs[0]: Invalid value: \"{requested}\": may not change once set"]);
        }
        else if (requested.Length == 0)
        {
            var taken = others.SelectMany(ClusterIps).Select(AddressValue).OfType<uint>().ToHashSet();
            var offset = RangeAllocation.PickFree(AddressCount, StaticAddresses, i => taken.Contains(NetworkAddress + 1 + (uint)i), Random.Shared)
                ?? throw ApiException.Internal("failed to allocate a serviceIP: range is full");
            requested = Address(NetworkAddress + 1 + (uint)offset);
        }
        else if (requested != "None" && kept.Length == 0)
        {
            var problem = AddressValue(requested) is not { } value || !InRange(value)
                ? $"the provided IP ({requested}) is not in the valid range. The range of valid IPs is {IpRange}"
                : others.SelectMany(ClusterIps).Contains(requested) ? "provided IP is already allocated" : null;
            if (problem is not null)
            {
                throw ApiException.Invalid("Service", name,
                    [$"spec.clusterIPs: Invalid value: []string{{\"{requested}\"}}: failed to allocate IP {requested}: {problem}"]);
            }
        }
        spec["clusterIP"] = requested;
        spec["clusterIPs"] = new JsonArray(requested);
        spec["ipFamilies"] ??= new JsonArray("IPv4");
        spec["ipFamilyPolicy"] ??= "SingleStack";
    }

    // An update that leaves a port's nodePort out keeps the one its name had (patchAllocatedValues).
    private static void KeepOrAllocateNodePorts(JsonArray ports, JsonArray? previousPorts, List<JsonNode?> others, string name)
    {
        var taken = others.SelectMany(NodePorts).ToHashSet();
        var kept = new Dictionary<string, long>();
        foreach (var port in previousPorts ?? []) kept.TryAdd(ObjectLifecycle.Text(port?["name"]), ObjectLifecycle.Number(port?["nodePort"]));
        var own = ports.Select(p => ObjectLifecycle.Number(p?["nodePort"])).Where(p => p != 0).ToHashSet();
        for (var i = 0; i < ports.Count; i++)
        {
            var port = (JsonObject)ports[i]!;
            var nodePort = ObjectLifecycle.Number(port["nodePort"]);
            if (nodePort == 0 && kept.GetValueOrDefault(ObjectLifecycle.Text(port["name"])) is var previous and not 0 && !own.Contains(previous))
            {
                nodePort = previous;
            }
            else if (nodePort == 0)
            {
                nodePort = FirstNodePort + (RangeAllocation.PickFree(NodePortCount, StaticNodePorts,
                    p => taken.Contains(FirstNodePort + p) || own.Contains(FirstNodePort + p), Random.Shared)
                    ?? throw ApiException.Internal("failed to allocate a nodePort: range is full"));
            }
            else if (!kept.ContainsValue(nodePort))
            {
                var problem = nodePort is < FirstNodePort or > LastNodePort
                    ? $"provided port is not in the valid range. The range of valid ports is {FirstNodePort}-{LastNodePort}"
                    : taken.Contains(nodePort) ? "provided port is already allocated" : null;
                if (problem is not null)
                {
                    throw ApiException.Invalid("Service", name, [$"spec.ports[{i}].nodePort: Invalid value: {nodePort}: {problem}"]);
                }
            }
            own.Add(nodePort);
            port["nodePort"] = nodePort;
        }
    }

    private static IEnumerable<string> ClusterIps(JsonNode? spec) =>
        new[] { ObjectLifecycle.Text(spec?["clusterIP"]) }.Concat((spec?["clusterIPs"] as JsonArray ?? []).Select(ObjectLifecycle.Text))
            .Where(ip => ip.Length > 0 && ip != "None");

    private static IEnumerable<long> NodePorts(JsonNode? spec) =>
        (spec?["ports"] as JsonArray ?? []).Select(p => ObjectLifecycle.Number(p?["nodePort"])).Where(p => p != 0);

    private static uint? AddressValue(string ip)
    {
        if (!IPAddress.TryParse(ip, out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork) return null;
        var bytes = address.GetAddressBytes();
        return (uint)bytes[0] << 24 | (uint)bytes[1] << 16 | (uint)bytes[2] << 8 | bytes[3];
    }

    // The network and broadcast addresses of the range are never allocated.
    private static bool InRange(uint value) => value > NetworkAddress && value < NetworkAddress + RangeSize - 1;

    private static string Address(uint value) =>
        string.Create(CultureInfo.InvariantCulture, $"{value >> 24}.{(value >> 16) & 255}.{(value >> 8) & 255}.{value & 255}");
}
