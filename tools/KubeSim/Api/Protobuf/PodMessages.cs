using static Plexus.KubeSim.Api.Protobuf.CoreMessages;
using static Plexus.KubeSim.Api.Protobuf.MetaMessages;
using static Plexus.KubeSim.Api.Protobuf.ProtoMessage;
using static Plexus.KubeSim.Api.Protobuf.ProtoPresence;

namespace Plexus.KubeSim.Api.Protobuf;

/// <summary>
/// k8s.io/api/core/v1 Pod, PodSpec and Container as far as generators send them (kubectl create
/// deployment: containers with image, command, ports, env; every scalar). The rest of these
/// messages (volumes, probes, security contexts, affinity...) is listed as undecoded: a body using
/// it is refused with a clear 415 instead of being stored without it.
/// </summary>
internal static class PodMessages
{
    public static readonly ProtoMessage Container = new("Container",
        Str(1, "name", Always), Str(2, "image"), Strs(3, "command"), Strs(4, "args"), Str(5, "workingDir"),
        Msgs(6, "ports", new("ContainerPort",
            Str(1, "name"), Int(2, "hostPort"), Int(3, "containerPort", Always), Str(4, "protocol"), Str(5, "hostIP"))),
        Undecoded(19, "envFrom"),
        Msgs(7, "env", new("EnvVar", Str(1, "name", Always), Str(2, "value"), Undecoded(3, "valueFrom"))),
        Msg(8, "resources", new("ResourceRequirements", QuantityMap(1, "limits"), QuantityMap(2, "requests"), Undecoded(3, "claims"))),
        Undecoded(23, "resizePolicy"), Str(24, "restartPolicy", Pointer), Undecoded(25, "restartPolicyRules"),
        Undecoded(9, "volumeMounts"), Undecoded(21, "volumeDevices"), Undecoded(10, "livenessProbe"), Undecoded(11, "readinessProbe"),
        Undecoded(22, "startupProbe"), Undecoded(12, "lifecycle"), Str(13, "terminationMessagePath"), Str(20, "terminationMessagePolicy"),
        Str(14, "imagePullPolicy"), Undecoded(15, "securityContext"), Bool(16, "stdin"), Bool(17, "stdinOnce"), Bool(18, "tty"));

    public static readonly ProtoMessage Toleration = new("Toleration",
        Str(1, "key"), Str(2, "operator"), Str(3, "value"), Str(4, "effect"), Int(5, "tolerationSeconds", Pointer));

    public static readonly ProtoMessage PodSpec = new("PodSpec",
        Undecoded(1, "volumes"), Msgs(20, "initContainers", Container), Msgs(2, "containers", Container, Always),
        Undecoded(34, "ephemeralContainers"), Str(3, "restartPolicy"), Int(4, "terminationGracePeriodSeconds", Pointer),
        Int(5, "activeDeadlineSeconds", Pointer), Str(6, "dnsPolicy"), Map(7, "nodeSelector"), Str(8, "serviceAccountName"),
        Str(9, "serviceAccount"), Bool(21, "automountServiceAccountToken", Pointer), Str(10, "nodeName"), Bool(11, "hostNetwork"),
        Bool(12, "hostPID"), Bool(13, "hostIPC"), Bool(27, "shareProcessNamespace", Pointer), Undecoded(14, "securityContext"),
        Msgs(15, "imagePullSecrets", LocalObjectReference), Str(16, "hostname"), Str(17, "subdomain"), Undecoded(18, "affinity"),
        Str(19, "schedulerName"), Msgs(22, "tolerations", Toleration), Undecoded(23, "hostAliases"), Str(24, "priorityClassName"),
        Int(25, "priority", Pointer), Undecoded(26, "dnsConfig"), Undecoded(28, "readinessGates"), Str(29, "runtimeClassName", Pointer),
        Bool(30, "enableServiceLinks", Pointer), Str(31, "preemptionPolicy", Pointer), Undecoded(32, "overhead"),
        Undecoded(33, "topologySpreadConstraints"), Bool(35, "setHostnameAsFQDN", Pointer), Undecoded(36, "os"),
        Bool(37, "hostUsers", Pointer), Undecoded(38, "schedulingGates"), Undecoded(39, "resourceClaims"), Undecoded(40, "resources"),
        Str(41, "hostnameOverride", Pointer), Undecoded(42, "workloadRef"));

    public static readonly ProtoMessage PodTemplateSpec = new("PodTemplateSpec", Msg(1, "metadata", ObjectMeta), Msg(2, "spec", PodSpec));

    public static readonly ProtoMessage PodCondition = new("PodCondition",
        Str(1, "type", Always), Int(7, "observedGeneration"), Str(2, "status", Always), Time(3, "lastProbeTime"),
        Time(4, "lastTransitionTime"), Str(5, "reason"), Str(6, "message"));

    public static readonly ProtoMessage PodStatus = new("PodStatus",
        Int(17, "observedGeneration"), Str(1, "phase"), Msgs(2, "conditions", PodCondition), Str(3, "message"), Str(4, "reason"),
        Str(11, "nominatedNodeName"), Str(5, "hostIP"), Msgs(16, "hostIPs", new("HostIP", Str(1, "ip", Always))), Str(6, "podIP"),
        Msgs(12, "podIPs", new("PodIP", Str(1, "ip", Always))), Time(7, "startTime"), Undecoded(10, "initContainerStatuses"),
        Undecoded(8, "containerStatuses"), Str(9, "qosClass"), Undecoded(13, "ephemeralContainerStatuses"), Str(14, "resize"),
        Undecoded(15, "resourceClaimStatuses"), Undecoded(18, "extendedResourceClaimStatus"), QuantityMap(19, "allocatedResources"),
        Undecoded(20, "resources"));

    public static readonly ProtoMessage Pod = new("Pod", Msg(1, "metadata", ObjectMeta), Msg(2, "spec", PodSpec), Msg(3, "status", PodStatus));
}
