using static Plexus.KubeSim.Api.Protobuf.MetaMessages;
using static Plexus.KubeSim.Api.Protobuf.ProtoMessage;

namespace Plexus.KubeSim.Api.Protobuf;

/// <summary>
/// k8s.io/api/authorization/v1 reviews (kubectl auth can-i [--list]). Only what a review is asked
/// with is decoded: the status a client sends is ignored, the answer is computed.
/// </summary>
internal static class AuthorizationMessages
{
    // fieldSelector (8) and labelSelector (9), new in 1.31, are not decoded: the simulator allows every request anyway.
    public static readonly ProtoMessage ResourceAttributes = new("ResourceAttributes",
        Str(1, "namespace"), Str(2, "verb"), Str(3, "group"), Str(4, "version"), Str(5, "resource"), Str(6, "subresource"),
        Str(7, "name"));

    public static readonly ProtoMessage SelfSubjectAccessReview = new("SelfSubjectAccessReview",
        Msg(1, "metadata", ObjectMeta),
        Msg(2, "spec", new("SelfSubjectAccessReviewSpec",
            Msg(1, "resourceAttributes", ResourceAttributes),
            Msg(2, "nonResourceAttributes", new("NonResourceAttributes", Str(1, "path"), Str(2, "verb"))))));

    public static readonly ProtoMessage SelfSubjectRulesReview = new("SelfSubjectRulesReview",
        Msg(1, "metadata", ObjectMeta), Msg(2, "spec", new("SelfSubjectRulesReviewSpec", Str(1, "namespace"))));
}
