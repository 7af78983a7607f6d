using static Plexus.KubeSim.Api.Protobuf.MetaMessages;
using static Plexus.KubeSim.Api.Protobuf.ProtoMessage;
using static Plexus.KubeSim.Api.Protobuf.ProtoPresence;

namespace Plexus.KubeSim.Api.Protobuf;

/// <summary>
/// k8s.io/api/core/v1 kinds that kubectl's typed create subcommands send as protobuf, and those
/// client-go's event recorder (Event), controllers (Endpoints) and kubelets (Node) write. The
/// dynamic kubelet config a Node once carried (removed in 1.24) is not decoded.
/// </summary>
internal static class CoreMessages
{
    public static readonly ProtoMessage NamespaceCondition = new("NamespaceCondition",
        Str(1, "type", Always), Str(2, "status", Always), Time(4, "lastTransitionTime"), Str(5, "reason"), Str(6, "message"));

    public static readonly ProtoMessage Namespace = new("Namespace",
        Msg(1, "metadata", ObjectMeta),
        Msg(2, "spec", new("NamespaceSpec", Strs(1, "finalizers"))),
        Msg(3, "status", new("NamespaceStatus", Str(1, "phase"), Msgs(2, "conditions", NamespaceCondition))));

    public static readonly ProtoMessage ConfigMap = new("ConfigMap",
        Msg(1, "metadata", ObjectMeta), Map(2, "data"), BytesMap(3, "binaryData"), Bool(4, "immutable", Pointer));

    public static readonly ProtoMessage Secret = new("Secret",
        Msg(1, "metadata", ObjectMeta), BytesMap(2, "data"), Str(3, "type"), Map(4, "stringData"), Bool(5, "immutable", Pointer));

    public static readonly ProtoMessage ObjectReference = new("ObjectReference",
        Str(1, "kind"), Str(2, "namespace"), Str(3, "name"), Str(4, "uid"), Str(5, "apiVersion"), Str(6, "resourceVersion"),
        Str(7, "fieldPath"));

    public static readonly ProtoMessage LocalObjectReference = new("LocalObjectReference", Str(1, "name"));

    public static readonly ProtoMessage ServiceAccount = new("ServiceAccount",
        Msg(1, "metadata", ObjectMeta), Msgs(2, "secrets", ObjectReference),
        Msgs(3, "imagePullSecrets", LocalObjectReference), Bool(4, "automountServiceAccountToken", Pointer));

    public static readonly ProtoMessage ServicePort = new("ServicePort",
        Str(1, "name"), Str(2, "protocol"), Str(6, "appProtocol", Pointer), Int(3, "port", Always), IntOrString(4, "targetPort"),
        Int(5, "nodePort"));

    public static readonly ProtoMessage ServiceSpec = new("ServiceSpec",
        Msgs(1, "ports", ServicePort), Map(2, "selector"), Str(3, "clusterIP"), Strs(18, "clusterIPs"), Str(4, "type"),
        Strs(5, "externalIPs"), Str(7, "sessionAffinity"), Str(8, "loadBalancerIP"), Strs(9, "loadBalancerSourceRanges"),
        Str(10, "externalName"), Str(11, "externalTrafficPolicy"), Int(12, "healthCheckNodePort"), Bool(13, "publishNotReadyAddresses"),
        Msg(14, "sessionAffinityConfig", new("SessionAffinityConfig", Msg(1, "clientIP", new("ClientIPConfig", Int(1, "timeoutSeconds", Pointer))))),
        Strs(19, "ipFamilies"), Str(17, "ipFamilyPolicy", Pointer), Bool(20, "allocateLoadBalancerNodePorts", Pointer),
        Str(21, "loadBalancerClass", Pointer), Str(22, "internalTrafficPolicy", Pointer), Str(23, "trafficDistribution", Pointer));

    public static readonly ProtoMessage LoadBalancerIngress = new("LoadBalancerIngress",
        Str(1, "ip"), Str(2, "hostname"), Str(3, "ipMode", Pointer),
        Msgs(4, "ports", new("PortStatus", Int(1, "port", Always), Str(2, "protocol", Always), Str(3, "error", Pointer))));

    public static readonly ProtoMessage Service = new("Service",
        Msg(1, "metadata", ObjectMeta), Msg(2, "spec", ServiceSpec),
        Msg(3, "status", new("ServiceStatus",
            Msg(1, "loadBalancer", new("LoadBalancerStatus", Msgs(1, "ingress", LoadBalancerIngress))), Msgs(2, "conditions", Condition))));

    public static readonly ProtoMessage EventSource = new("EventSource", Str(1, "component"), Str(2, "host"));

    // involvedObject, source, reportingComponent and reportingInstance have no omitempty (source is a struct).
    public static readonly ProtoMessage Event = new("Event",
        Msg(1, "metadata", ObjectMeta), Msg(2, "involvedObject", ObjectReference, Always), Str(3, "reason"), Str(4, "message"),
        Msg(5, "source", EventSource, Always), Time(6, "firstTimestamp"),
        Time(7, "lastTimestamp"), Int(8, "count"), Str(9, "type"), MicroTime(10, "eventTime"),
        Msg(11, "series", new("EventSeries", Int(1, "count"), MicroTime(2, "lastObservedTime"))), Str(12, "action"),
        Msg(13, "related", ObjectReference), Str(14, "reportingComponent", Always), Str(15, "reportingInstance", Always));

    public static readonly ProtoMessage EndpointAddress = new("EndpointAddress",
        Str(1, "ip", Always), Str(3, "hostname"), Str(4, "nodeName", Pointer), Msg(2, "targetRef", ObjectReference));

    public static readonly ProtoMessage Endpoints = new("Endpoints",
        Msg(1, "metadata", ObjectMeta),
        Msgs(2, "subsets", new("EndpointSubset",
            Msgs(1, "addresses", EndpointAddress), Msgs(2, "notReadyAddresses", EndpointAddress),
            Msgs(3, "ports", new("EndpointPort", Str(1, "name"), Int(2, "port", Always), Str(3, "protocol"), Str(4, "appProtocol", Pointer))))));

    public static readonly ProtoMessage Node = new("Node",
        Msg(1, "metadata", ObjectMeta),
        Msg(2, "spec", new("NodeSpec",
            Str(1, "podCIDR"), Strs(7, "podCIDRs"), Str(3, "providerID"), Bool(4, "unschedulable"),
            Msgs(5, "taints", new("Taint", Str(1, "key", Always), Str(2, "value"), Str(3, "effect", Always), Time(4, "timeAdded"))),
            Undecoded(6, "configSource"), Str(2, "externalID"))),
        Msg(3, "status", new("NodeStatus",
            QuantityMap(1, "capacity"), QuantityMap(2, "allocatable"), Str(3, "phase"),
            Msgs(4, "conditions", new("NodeCondition",
                Str(1, "type", Always), Str(2, "status", Always), Time(3, "lastHeartbeatTime"), Time(4, "lastTransitionTime"),
                Str(5, "reason"), Str(6, "message"))),
            Msgs(5, "addresses", new("NodeAddress", Str(1, "type", Always), Str(2, "address", Always))),
            // DaemonEndpoint's one field is spelled "Port" in JSON.
            Msg(6, "daemonEndpoints", new("NodeDaemonEndpoints", Msg(1, "kubeletEndpoint", new("DaemonEndpoint", Int(1, "Port", Always))))),
            Msg(7, "nodeInfo", new("NodeSystemInfo",
                Str(1, "machineID", Always), Str(2, "systemUUID", Always), Str(3, "bootID", Always), Str(4, "kernelVersion", Always),
                Str(5, "osImage", Always), Str(6, "containerRuntimeVersion", Always), Str(7, "kubeletVersion", Always),
                Str(8, "kubeProxyVersion", Always), Str(9, "operatingSystem", Always), Str(10, "architecture", Always),
                Msg(11, "swap", new("NodeSwapStatus", Int(1, "capacity", Pointer))))),
            Msgs(8, "images", new("ContainerImage", Strs(1, "names", Always), Int(2, "sizeBytes"))), Strs(9, "volumesInUse"),
            Msgs(10, "volumesAttached", new("AttachedVolume", Str(1, "name", Always), Str(2, "devicePath", Always))),
            Undecoded(11, "config"),
            Msgs(12, "runtimeHandlers", new("NodeRuntimeHandler", Str(1, "name", Always),
                Msg(2, "features", new("NodeRuntimeHandlerFeatures", Bool(1, "recursiveReadOnlyMounts", Pointer), Bool(2, "userNamespaces", Pointer))))),
            Msg(13, "features", new("NodeFeatures", Bool(1, "supplementalGroupsPolicy", Pointer), Bool(2, "containerUlimits", Pointer))),
            Strs(14, "declaredFeatures"))));

    public static readonly ProtoMessage ResourceQuota = new("ResourceQuota",
        Msg(1, "metadata", ObjectMeta),
        Msg(2, "spec", new("ResourceQuotaSpec",
            QuantityMap(1, "hard"), Strs(2, "scopes"),
            Msg(3, "scopeSelector", new("ScopeSelector", Msgs(1, "matchExpressions", new("ScopedResourceSelectorRequirement",
                Str(1, "scopeName", Always), Str(2, "operator", Always), Strs(3, "values"))))))),
        Msg(3, "status", new("ResourceQuotaStatus", QuantityMap(1, "hard"), QuantityMap(2, "used"))));
}
