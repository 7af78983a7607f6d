using static Plexus.KubeSim.Api.Protobuf.MetaMessages;
using static Plexus.KubeSim.Api.Protobuf.ProtoMessage;
using static Plexus.KubeSim.Api.Protobuf.ProtoPresence;

namespace Plexus.KubeSim.Api.Protobuf;

/// <summary>k8s.io/api/coordination/v1 Lease: what client-go's leader election and node heartbeats write.</summary>
internal static class CoordinationMessages
{
    public static readonly ProtoMessage Lease = new("Lease",
        Msg(1, "metadata", ObjectMeta),
        Msg(2, "spec", new("LeaseSpec",
            Str(1, "holderIdentity", Pointer), Int(2, "leaseDurationSeconds", Pointer), MicroTime(3, "acquireTime"), MicroTime(4, "renewTime"),
            Int(5, "leaseTransitions", Pointer), Str(6, "strategy", Pointer), Str(7, "preferredHolder", Pointer))));
}
