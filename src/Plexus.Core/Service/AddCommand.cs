using System.Text.Json.Nodes;
using Plexus.Cni;
using Plexus.Core.Config;
using Plexus.Cni.Results;
using Plexus.Core.Cache;
using Plexus.Core.Planning;
using Plexus.Core.Ports;
using Plexus.Core.Routes;
using Plexus.Core.Status;

namespace Plexus.Core.Service;

/// <summary>
/// ADD: find the pod's networks, save the plan, run the delegates in order (undoing them all on
/// a failure), move default routes, publish network-status, return the cluster network's result.
/// </summary>
internal static class AddCommand
{
    public const string PodAnnotationsCapability = "io.kubernetes.cri.pod-annotations";

    public static async Task<CniResult> RunAsync(Session session, CancellationToken cancellationToken)
    {
        if (session.Config.ReadinessIndicatorFile is { Length: > 0 } readiness)
        {
            await ReadinessGate.WaitAsync(readiness, session.Host.Time, cancellationToken).ConfigureAwait(false);
        }
        var identity = PodIdentity.From(session.Invocation.Args);
        if (PodIdentity.MissingReason(session.Invocation.Args) is { } noPod)
        {
            session.Log(LogLevel.Verbose, noPod);
        }
        var pod = identity is null ? null : await FindPodAsync(session, identity, cancellationToken).ConfigureAwait(false);
        if (identity is not null && session.Kube is not null && pod is null)
        {
            session.Log(LogLevel.Verbose, $"pod {identity.Ref} does not exist (any more): nothing attached");
            return new Result100 { Version = CniVersion.V100 };
        }
        var selections = pod is null ? PodSelections.None : SelectionPlanner.Plan(session.Config, pod.Ref.Namespace, pod.Annotation);
        var resolver = new NetworkResolver(session, identity);
        var cluster = resolver.WithAuxiliaryChain(
            await resolver.ClusterAsync(selections.ClusterNetworkOverride, cancellationToken).ConfigureAwait(false), cancellationToken);
        var extra = resolver.StaticExtras().Concat(await resolver.SelectedAsync(selections.Extra, cancellationToken).ConfigureAwait(false)).ToList();
        var ifName = session.Invocation.IfName ?? throw CniException.InvalidEnvironment("CNI_IFNAME is not set");
        var devices = await DeviceLookup.AssignAsync(session, identity, extra.Prepend(cluster).ToList(), cancellationToken).ConfigureAwait(false);
        var attachments = AttachmentPlanner.Plan(cluster, extra, ifName, RuntimeConfigForCluster(session), devices,
            (network, attachmentIfName) => session.DeviceInfo.Paths.ForAttachment(network, session.ContainerId, attachmentIfName));
        var routes = DefaultRoutePlanner.Plan(attachments);
        session.Cache.Save(CacheOf(session, identity, attachments), cancellationToken);
        var results = await AttachAllAsync(session, identity, attachments, cancellationToken).ConfigureAwait(false);
        if (routes.Count > 0 && !string.IsNullOrEmpty(session.Invocation.Netns))
        {
            await WithRollbackAsync(session, identity, attachments, attachments.Count - 1, failedOwnAdd: false, "default-route",
                () => session.Host.PodNetwork.ApplyDefaultRoutesAsync(session.Invocation.Netns, routes, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        if (pod is not null && session.Kube is not null)
        {
            var statuses = attachments.Select((a, i) => NetworkStatusRenderer.Render(a, results[i], routes, DeviceLookup.InfoOf(session, a))).ToList();
            await StatusPublisher.PublishAsync(session, session.Kube, pod, statuses, cancellationToken).ConfigureAwait(false);
        }
        return results[0];
    }

    private static async Task<PodInfo?> FindPodAsync(Session session, PodIdentity identity, CancellationToken cancellationToken)
    {
        // containerd and CRI-O hand over the annotations themselves: no pod GET needed.
        if (session.Config.RuntimeConfig?[PodAnnotationsCapability] is JsonObject given)
        {
            var annotations = given.Where(p => p.Value is JsonValue).ToDictionary(p => p.Key, p => p.Value!.ToString());
            return new PodInfo { Ref = identity.Ref, Uid = identity.Uid, Annotations = annotations };
        }
        if (session.Kube is null)
        {
            return null;
        }
        var lookup = await session.Kube.Pods.GetPodAsync(identity.Ref, cancellationToken).ConfigureAwait(false);
        if (lookup.Pod is { } pod && identity.Uid is { } expected && pod.Uid is { } actual && expected != actual && !pod.IsStatic)
        {
            throw new CniException(CniErrorCode.TryAgainLater,
                $"expected pod UID \"{expected}\" but got \"{actual}\" from Kube API",
                $"pod {identity.Ref} was replaced by a pod of the same name; the runtime will retry with the new one");
        }
        return lookup.Pod;
    }

    private static JsonObject? RuntimeConfigForCluster(Session session)
    {
        if (session.Config.RuntimeConfig is not { } runtime)
        {
            return null;
        }
        var copy = (JsonObject)runtime.DeepClone();
        copy.Remove(PodAnnotationsCapability);
        return copy.Count == 0 ? null : copy;
    }

    private static DelegateCache CacheOf(Session session, PodIdentity? identity, IReadOnlyList<Attachment> attachments) => new()
    {
        ContainerId = session.ContainerId,
        Netns = session.Invocation.Netns,
        CniVersion = session.Invocation.Config.CniVersionText,
        PodNamespace = identity?.Ref.Namespace,
        PodName = identity?.Ref.Name,
        PodUid = identity?.Uid,
        Attachments = attachments.Select(CachedAttachment.From).ToList(),
    };

    private static async Task<List<CniResult>> AttachAllAsync(Session session, PodIdentity? identity, IReadOnlyList<Attachment> attachments, CancellationToken cancellationToken)
    {
        var results = new List<CniResult>(attachments.Count);
        // One look into the pod namespace per ADD (each look costs a thread that enters it); two
        // attachments with the same name never get here, the plan refuses them.
        IReadOnlySet<string>? existing = null;
        for (var i = 0; i < attachments.Count; i++)
        {
            var attachment = attachments[i];
            var step = $"network {attachment.Network} ({attachment.IfName})";
            // Refused before its delegate runs, only the attachments before it are undone: a DEL of this
            // one would remove the pod's own interface of that name.
            await WithRollbackAsync(session, identity, attachments, i - 1, failedOwnAdd: false, step, async () =>
            {
                if (!string.IsNullOrEmpty(session.Invocation.Netns)
                    && (existing ??= await session.Host.PodNetwork.InterfaceNamesAsync(session.Invocation.Netns, cancellationToken).ConfigureAwait(false)).Contains(attachment.IfName))
                {
                    throw CniException.InvalidConfig($"interface {attachment.IfName} already exists in the pod namespace {session.Invocation.Netns}",
                        "request another interface name for this network");
                }
            }, cancellationToken).ConfigureAwait(false);
            await WithRollbackAsync(session, identity, attachments, i, failedOwnAdd: true, step, async () =>
            {
                DeviceLookup.PrepareInfo(session, attachment, cancellationToken);
                // Every result cache but the last is written behind the next delegate (its fsync waits for the disk).
                results.Add(await session.Runtime.AddNetworkListAsync(Session.ListOf(attachment), session.RuntimeFor(attachment), cancellationToken,
                    cacheInBackground: i < attachments.Count - 1).ConfigureAwait(false));
            }, cancellationToken).ConfigureAwait(false);
        }
        await WithRollbackAsync(session, identity, attachments, attachments.Count - 1, failedOwnAdd: false, "caching the results", () =>
        {
            session.Runtime.FlushResultCaches();
            return Task.CompletedTask;
        }, cancellationToken).ConfigureAwait(false);
        return results;
    }

    /// <summary>
    /// Runs a step; when it fails, attachments <paramref name="upTo"/>..0 are deleted in reverse and the
    /// error names the pod and step. When the step was attachment <paramref name="upTo"/>'s own ADD, a
    /// failing DEL of it is not kept for later: its ADD failed, so nothing of it is attached, and a
    /// delegate whose DEL trips over its own broken config would make the runtime retry DEL forever.
    /// </summary>
    private static async Task WithRollbackAsync(Session session, PodIdentity? identity, IReadOnlyList<Attachment> attachments, int upTo, bool failedOwnAdd, string step, Func<Task> action, CancellationToken cancellationToken)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (CniException e)
        {
            var failures = await DelCommand.DetachAsync(session, attachments.Take(upTo + 1).Reverse().ToList(), cancellationToken).ConfigureAwait(false);
            var leftovers = failures.Where(f => !(failedOwnAdd && f.Attachment.Index == upTo)).ToList();
            DelCommand.Remember(session, leftovers, cancellationToken);
            var who = identity is null ? $"container {session.ContainerId}" : $"pod {identity.Ref}";
            var rollback = leftovers.Count == 0 ? "every attachment was removed again" : $"could not remove {string.Join(", ", leftovers.Select(l => l.Attachment.Network))}";
            throw new CniException(e.Code, $"{who}: {step}: {e.Message}", $"{rollback}. {e.Details}".Trim(), e);
        }
    }
}
