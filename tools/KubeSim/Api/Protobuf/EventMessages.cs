using static Plexus.KubeSim.Api.Protobuf.CoreMessages;
using static Plexus.KubeSim.Api.Protobuf.MetaMessages;
using static Plexus.KubeSim.Api.Protobuf.ProtoMessage;
using static Plexus.KubeSim.Api.Protobuf.ProtoPresence;

namespace Plexus.KubeSim.Api.Protobuf;

/// <summary>k8s.io/api/events/v1 Event: what client-go's events library (tools/events) writes.</summary>
internal static class EventMessages
{
    // eventTime, regarding and deprecatedSource have no omitempty (the last two are structs); nor has the series' count.
    public static readonly ProtoMessage Event = new("Event",
        Msg(1, "metadata", ObjectMeta), MicroTime(2, "eventTime"),
        Msg(3, "series", new("EventSeries", Int(1, "count", Always), MicroTime(2, "lastObservedTime"))),
        Str(4, "reportingController"), Str(5, "reportingInstance"), Str(6, "action"), Str(7, "reason"),
        Msg(8, "regarding", ObjectReference, Always), Msg(9, "related", ObjectReference), Str(10, "note"), Str(11, "type"),
        Msg(12, "deprecatedSource", EventSource, Always), Time(13, "deprecatedFirstTimestamp"), Time(14, "deprecatedLastTimestamp"),
        Int(15, "deprecatedCount"));
}
