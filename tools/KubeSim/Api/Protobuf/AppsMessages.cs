using static Plexus.KubeSim.Api.Protobuf.MetaMessages;
using static Plexus.KubeSim.Api.Protobuf.PodMessages;
using static Plexus.KubeSim.Api.Protobuf.ProtoMessage;
using static Plexus.KubeSim.Api.Protobuf.ProtoPresence;

namespace Plexus.KubeSim.Api.Protobuf;

/// <summary>
/// k8s.io/api/apps/v1 Deployment (kubectl create deployment), and the DaemonSets and ReplicaSets
/// operators and the deployment controller write (their pod templates decoded as far as
/// <see cref="PodMessages"/> goes).
/// </summary>
internal static class AppsMessages
{
    // DaemonSetCondition and ReplicaSetCondition are laid out alike.
    private static ProtoMessage WorkloadCondition(string name) => new(name,
        Str(1, "type", Always), Str(2, "status", Always), Time(3, "lastTransitionTime"), Str(4, "reason"), Str(5, "message"));

    public static readonly ProtoMessage DeploymentSpec = new("DeploymentSpec",
        Int(1, "replicas", Pointer), Msg(2, "selector", LabelSelector), Msg(3, "template", PodTemplateSpec, Always),
        Msg(4, "strategy", new("DeploymentStrategy", Str(1, "type"),
            Msg(2, "rollingUpdate", new("RollingUpdateDeployment", IntOrString(1, "maxUnavailable"), IntOrString(2, "maxSurge"))))),
        Int(5, "minReadySeconds"), Int(6, "revisionHistoryLimit", Pointer), Bool(7, "paused"), Int(9, "progressDeadlineSeconds", Pointer),
        Str(10, "podReplacementPolicy", Pointer));

    public static readonly ProtoMessage DeploymentCondition = new("DeploymentCondition",
        Str(1, "type", Always), Str(2, "status", Always), Time(6, "lastUpdateTime"), Time(7, "lastTransitionTime"), Str(4, "reason"),
        Str(5, "message"));

    public static readonly ProtoMessage Deployment = new("Deployment",
        Msg(1, "metadata", ObjectMeta), Msg(2, "spec", DeploymentSpec),
        Msg(3, "status", new("DeploymentStatus", Int(1, "observedGeneration"), Int(2, "replicas"), Int(3, "updatedReplicas"),
            Int(7, "readyReplicas"), Int(4, "availableReplicas"), Int(5, "unavailableReplicas"), Int(9, "terminatingReplicas", Pointer),
            Msgs(6, "conditions", DeploymentCondition), Int(8, "collisionCount", Pointer))));

    public static readonly ProtoMessage DaemonSet = new("DaemonSet",
        Msg(1, "metadata", ObjectMeta),
        Msg(2, "spec", new("DaemonSetSpec",
            Msg(1, "selector", LabelSelector), Msg(2, "template", PodTemplateSpec, Always),
            Msg(3, "updateStrategy", new("DaemonSetUpdateStrategy", Str(1, "type"),
                Msg(2, "rollingUpdate", new("RollingUpdateDaemonSet", IntOrString(1, "maxUnavailable"), IntOrString(2, "maxSurge"))))),
            Int(4, "minReadySeconds"), Int(6, "revisionHistoryLimit", Pointer))),
        Msg(3, "status", new("DaemonSetStatus",
            Int(1, "currentNumberScheduled", Always), Int(2, "numberMisscheduled", Always), Int(3, "desiredNumberScheduled", Always),
            Int(4, "numberReady", Always), Int(5, "observedGeneration"), Int(6, "updatedNumberScheduled"), Int(7, "numberAvailable"),
            Int(8, "numberUnavailable"), Int(9, "collisionCount", Pointer), Msgs(10, "conditions", WorkloadCondition("DaemonSetCondition")))));

    public static readonly ProtoMessage ReplicaSet = new("ReplicaSet",
        Msg(1, "metadata", ObjectMeta),
        Msg(2, "spec", new("ReplicaSetSpec",
            Int(1, "replicas", Pointer), Int(4, "minReadySeconds"), Msg(2, "selector", LabelSelector), Msg(3, "template", PodTemplateSpec))),
        Msg(3, "status", new("ReplicaSetStatus",
            Int(1, "replicas", Always), Int(2, "fullyLabeledReplicas"), Int(4, "readyReplicas"), Int(5, "availableReplicas"),
            Int(7, "terminatingReplicas", Pointer), Int(3, "observedGeneration"), Msgs(6, "conditions", WorkloadCondition("ReplicaSetCondition")))));
}
