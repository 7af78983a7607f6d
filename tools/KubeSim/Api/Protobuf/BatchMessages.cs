using static Plexus.KubeSim.Api.Protobuf.CoreMessages;
using static Plexus.KubeSim.Api.Protobuf.MetaMessages;
using static Plexus.KubeSim.Api.Protobuf.PodMessages;
using static Plexus.KubeSim.Api.Protobuf.ProtoMessage;
using static Plexus.KubeSim.Api.Protobuf.ProtoPresence;

namespace Plexus.KubeSim.Api.Protobuf;

/// <summary>
/// k8s.io/api/batch/v1 Job and CronJob (kubectl create job|cronjob). The failure and success
/// policies, which no generator fills, are not decoded.
/// </summary>
internal static class BatchMessages
{
    public static readonly ProtoMessage JobSpec = new("JobSpec",
        Int(1, "parallelism", Pointer), Int(2, "completions", Pointer), Int(3, "activeDeadlineSeconds", Pointer),
        Undecoded(11, "podFailurePolicy"), Undecoded(16, "successPolicy"), Int(7, "backoffLimit", Pointer),
        Int(12, "backoffLimitPerIndex", Pointer), Int(13, "maxFailedIndexes", Pointer), Msg(4, "selector", LabelSelector),
        Bool(5, "manualSelector", Pointer), Msg(6, "template", PodTemplateSpec, Always), Int(8, "ttlSecondsAfterFinished", Pointer),
        Str(9, "completionMode", Pointer), Bool(10, "suspend", Pointer), Str(14, "podReplacementPolicy", Pointer),
        Str(15, "managedBy", Pointer));

    public static readonly ProtoMessage JobStatus = new("JobStatus",
        Msgs(1, "conditions", new("JobCondition",
            Str(1, "type", Always), Str(2, "status", Always), Time(3, "lastProbeTime"), Time(4, "lastTransitionTime"),
            Str(5, "reason"), Str(6, "message"))),
        Time(2, "startTime"), Time(3, "completionTime"), Int(4, "active"), Int(5, "succeeded"), Int(6, "failed"),
        Int(11, "terminating", Pointer), Str(7, "completedIndexes"), Str(10, "failedIndexes", Pointer),
        Msg(8, "uncountedTerminatedPods", new("UncountedTerminatedPods", Strs(1, "succeeded"), Strs(2, "failed"))),
        Int(9, "ready", Pointer));

    public static readonly ProtoMessage Job = new("Job", Msg(1, "metadata", ObjectMeta), Msg(2, "spec", JobSpec), Msg(3, "status", JobStatus));

    public static readonly ProtoMessage CronJob = new("CronJob",
        Msg(1, "metadata", ObjectMeta),
        Msg(2, "spec", new("CronJobSpec",
            Str(1, "schedule", Always), Str(8, "timeZone", Pointer), Int(2, "startingDeadlineSeconds", Pointer),
            Str(3, "concurrencyPolicy"), Bool(4, "suspend", Pointer),
            Msg(5, "jobTemplate", new("JobTemplateSpec", Msg(1, "metadata", ObjectMeta), Msg(2, "spec", JobSpec)), Always),
            Int(6, "successfulJobsHistoryLimit", Pointer), Int(7, "failedJobsHistoryLimit", Pointer))),
        Msg(3, "status", new("CronJobStatus",
            Msgs(1, "active", ObjectReference), Time(4, "lastScheduleTime"), Time(5, "lastSuccessfulTime"))));
}
