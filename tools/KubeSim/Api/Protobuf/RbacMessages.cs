using static Plexus.KubeSim.Api.Protobuf.MetaMessages;
using static Plexus.KubeSim.Api.Protobuf.ProtoMessage;
using static Plexus.KubeSim.Api.Protobuf.ProtoPresence;

namespace Plexus.KubeSim.Api.Protobuf;

/// <summary>k8s.io/api/rbac/v1 (kubectl create role|clusterrole|rolebinding|clusterrolebinding).</summary>
internal static class RbacMessages
{
    public static readonly ProtoMessage PolicyRule = new("PolicyRule",
        Strs(1, "verbs", Always), Strs(2, "apiGroups"), Strs(3, "resources"), Strs(4, "resourceNames"), Strs(5, "nonResourceURLs"));

    public static readonly ProtoMessage Role = new("Role", Msg(1, "metadata", ObjectMeta), Msgs(2, "rules", PolicyRule, Always));

    public static readonly ProtoMessage ClusterRole = new("ClusterRole",
        Msg(1, "metadata", ObjectMeta), Msgs(2, "rules", PolicyRule, Always),
        Msg(3, "aggregationRule", new("AggregationRule", Msgs(1, "clusterRoleSelectors", LabelSelector))));

    public static readonly ProtoMessage Subject = new("Subject",
        Str(1, "kind", Always), Str(2, "apiGroup"), Str(3, "name", Always), Str(4, "namespace"));

    public static readonly ProtoMessage RoleRef = new("RoleRef",
        Str(1, "apiGroup", Always), Str(2, "kind", Always), Str(3, "name", Always));

    public static readonly ProtoMessage RoleBinding = new("RoleBinding",
        Msg(1, "metadata", ObjectMeta), Msgs(2, "subjects", Subject), Msg(3, "roleRef", RoleRef, Always));

    public static readonly ProtoMessage ClusterRoleBinding = new("ClusterRoleBinding",
        Msg(1, "metadata", ObjectMeta), Msgs(2, "subjects", Subject), Msg(3, "roleRef", RoleRef, Always));
}
