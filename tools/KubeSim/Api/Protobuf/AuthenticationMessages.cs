using static Plexus.KubeSim.Api.Protobuf.MetaMessages;
using static Plexus.KubeSim.Api.Protobuf.ProtoMessage;
using static Plexus.KubeSim.Api.Protobuf.ProtoPresence;

namespace Plexus.KubeSim.Api.Protobuf;

/// <summary>
/// k8s.io/api/authentication/v1 TokenRequest (kubectl create token) and SelfSubjectReview (kubectl
/// auth whoami). A status a client sends is decoded and ignored: the answer is computed.
/// </summary>
internal static class AuthenticationMessages
{
    public static readonly ProtoMessage TokenRequest = new("TokenRequest",
        Msg(1, "metadata", ObjectMeta),
        Msg(2, "spec", new("TokenRequestSpec",
            Strs(1, "audiences", Always), Int(4, "expirationSeconds", Pointer),
            Msg(3, "boundObjectRef", new("BoundObjectReference", Str(1, "kind"), Str(2, "apiVersion"), Str(3, "name"), Str(4, "uid")))),
            Always),
        Msg(3, "status", new("TokenRequestStatus", Str(1, "token", Always), Time(2, "expirationTimestamp"))));

    public static readonly ProtoMessage SelfSubjectReview = new("SelfSubjectReview",
        Msg(1, "metadata", ObjectMeta),
        Msg(2, "status", new("SelfSubjectReviewStatus", Msg(1, "userInfo", new("UserInfo",
            Str(1, "username"), Str(2, "uid"), Strs(3, "groups"), Undecoded(4, "extra"))))));
}
