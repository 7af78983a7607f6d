using static Plexus.KubeSim.Api.Protobuf.ProtoMessage;
using static Plexus.KubeSim.Api.Protobuf.ProtoPresence;

namespace Plexus.KubeSim.Api.Protobuf;

/// <summary>k8s.io/apimachinery/pkg/apis/meta/v1 messages the built-in kinds embed.</summary>
internal static class MetaMessages
{
    public static readonly ProtoMessage OwnerReference = new("OwnerReference",
        Str(5, "apiVersion", Always), Str(1, "kind", Always), Str(3, "name", Always), Str(4, "uid", Always),
        Bool(6, "controller", Pointer), Bool(7, "blockOwnerDeletion", Pointer));

    // Clients do not send managedFields (the server writes them); one that does is refused, not stored without them.
    public static readonly ProtoMessage ObjectMeta = new("ObjectMeta",
        Str(1, "name"), Str(2, "generateName"), Str(3, "namespace"), Str(4, "selfLink"), Str(5, "uid"),
        Str(6, "resourceVersion"), Int(7, "generation"), Time(8, "creationTimestamp"), Time(9, "deletionTimestamp"),
        Int(10, "deletionGracePeriodSeconds", Pointer), Map(11, "labels"), Map(12, "annotations"),
        Msgs(13, "ownerReferences", OwnerReference), Strs(14, "finalizers"), Undecoded(17, "managedFields"));

    public static readonly ProtoMessage LabelSelectorRequirement = new("LabelSelectorRequirement",
        Str(1, "key", Always), Str(2, "operator", Always), Strs(3, "values"));

    public static readonly ProtoMessage LabelSelector = new("LabelSelector",
        Map(1, "matchLabels"), Msgs(2, "matchExpressions", LabelSelectorRequirement));

    public static readonly ProtoMessage Condition = new("Condition",
        Str(1, "type", Always), Str(2, "status", Always), Int(3, "observedGeneration"), Time(4, "lastTransitionTime"),
        Str(5, "reason", Always), Str(6, "message", Always));
}
