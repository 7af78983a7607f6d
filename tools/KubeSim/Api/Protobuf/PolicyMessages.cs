using static Plexus.KubeSim.Api.Protobuf.MetaMessages;
using static Plexus.KubeSim.Api.Protobuf.ProtoMessage;
using static Plexus.KubeSim.Api.Protobuf.ProtoPresence;

namespace Plexus.KubeSim.Api.Protobuf;

/// <summary>
/// k8s.io/api/policy/v1 PodDisruptionBudget and k8s.io/api/scheduling/v1 PriorityClass (kubectl
/// create poddisruptionbudget|priorityclass): the two kinds that decide which pods may be evicted.
/// </summary>
internal static class PolicyMessages
{
    public static readonly ProtoMessage PodDisruptionBudget = new("PodDisruptionBudget",
        Msg(1, "metadata", ObjectMeta),
        Msg(2, "spec", new("PodDisruptionBudgetSpec",
            IntOrString(1, "minAvailable"), Msg(2, "selector", LabelSelector), IntOrString(3, "maxUnavailable"),
            Str(4, "unhealthyPodEvictionPolicy", Pointer))),
        Msg(3, "status", new("PodDisruptionBudgetStatus",
            Int(1, "observedGeneration"), Undecoded(2, "disruptedPods"), Int(3, "disruptionsAllowed", Always),
            Int(4, "currentHealthy", Always), Int(5, "desiredHealthy", Always), Int(6, "expectedPods", Always),
            Msgs(7, "conditions", Condition))));

    public static readonly ProtoMessage PriorityClass = new("PriorityClass",
        Msg(1, "metadata", ObjectMeta), Int(2, "value", Always), Bool(3, "globalDefault"), Str(4, "description"),
        Str(5, "preemptionPolicy", Pointer));
}
