using static Plexus.KubeSim.Api.Protobuf.MetaMessages;
using static Plexus.KubeSim.Api.Protobuf.ProtoMessage;
using static Plexus.KubeSim.Api.Protobuf.ProtoPresence;

namespace Plexus.KubeSim.Api.Protobuf;

/// <summary>k8s.io/api/networking/v1 Ingress (kubectl create ingress).</summary>
internal static class NetworkingMessages
{
    public static readonly ProtoMessage IngressBackend = new("IngressBackend",
        Msg(4, "service", new("IngressServiceBackend",
            Str(1, "name", Always), Msg(2, "port", new("ServiceBackendPort", Str(1, "name"), Int(2, "number"))))),
        Msg(3, "resource", new("TypedLocalObjectReference", Str(1, "apiGroup", Pointer), Str(2, "kind", Always), Str(3, "name", Always))));

    // IngressRuleValue is embedded inline in IngressRule: its http field sits beside host in JSON.
    public static readonly ProtoMessage IngressRule = new("IngressRule",
        Str(1, "host"),
        Inlined(2, "ingressRuleValue", new("IngressRuleValue",
            Msg(1, "http", new("HTTPIngressRuleValue", Msgs(1, "paths", new("HTTPIngressPath",
                Str(1, "path"), Str(3, "pathType", Pointer), Msg(2, "backend", IngressBackend, Always))))))));

    public static readonly ProtoMessage Ingress = new("Ingress",
        Msg(1, "metadata", ObjectMeta),
        Msg(2, "spec", new("IngressSpec",
            Str(4, "ingressClassName", Pointer), Msg(1, "defaultBackend", IngressBackend),
            Msgs(2, "tls", new("IngressTLS", Strs(1, "hosts"), Str(2, "secretName"))), Msgs(3, "rules", IngressRule))),
        Msg(3, "status", new("IngressStatus", Msg(1, "loadBalancer", new("IngressLoadBalancerStatus",
            Msgs(1, "ingress", new("IngressLoadBalancerIngress",
                Str(1, "ip"), Str(2, "hostname"),
                Msgs(4, "ports", new("IngressPortStatus", Int(1, "port", Always), Str(2, "protocol", Always), Str(3, "error", Pointer))))))))));
}
