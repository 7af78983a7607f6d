using System.Text.Json.Nodes;
using Plexus.Cni;
using Plexus.Cni.Invoke;
using Plexus.Core.Config;
using Plexus.Cni.Results;
using Plexus.Core.Cache;
using Plexus.Core.Planning;
using Plexus.Core.Ports;
using Plexus.Core.Routes;
using Plexus.Core.Selection;
using Plexus.Core.Status;

namespace Plexus.Core.Service;

/// <summary>
/// ADD: find the pod's networks, save the plan, run the delegates in order (undoing them all on
/// a failure), move default routes, publish network-status, return the cluster network's result.
/// The API work (the kubeconfig, the TLS handshake, the NADs the pod selects) goes on while the
/// cluster network's delegate runs.
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
        if (identity is not null && pod is null && session.Kube is not null)
        {
            session.Log(LogLevel.Verbose, $"pod {identity.Ref} does not exist (any more): nothing attached");
            return CniResult.Empty(session.Invocation.Config.CniVersion);
        }
        var selections = pod is null ? PodSelections.None : PodIdentity.Naming(identity, () => SelectionPlanner.Plan(session.Config, pod.Ref.Namespace, pod.Annotation));
        var resolver = new NetworkResolver(session, identity);
        var cluster = resolver.WithAuxiliaryChain(
            await resolver.ClusterAsync(selections.ClusterNetworkOverride, cancellationToken).ConfigureAwait(false), cancellationToken);
        var ifName = session.IfName;
        var statics = resolver.StaticExtras().ToList();
        var run = new AttachRun(session, identity);
        // Only a pod's ADD talks to the API server. A kubelet device for the cluster network is allocated together
        // with the other networks' devices, so then everything is resolved first.
        var apiBeside = pod is not null && session.Host.ApiWorkBesideClusterNetwork && cluster.Network.ResourceName is null;
        AddPlan plan;
        if (apiBeside && selections.HasExtra)
        {
            plan = await AttachClusterWhileResolvingAsync(session, run, resolver, cluster, statics, selections, ifName, cancellationToken).ConfigureAwait(false);
            await run.AttachAsync(plan.Attachments, 1, moreFollow: false, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var extra = statics.Concat(await resolver.ExtraAsync(selections, cancellationToken).ConfigureAwait(false)).ToList();
            plan = await PlanAsync(session, identity, cluster, extra, ifName, cancellationToken).ConfigureAwait(false);
            session.Cache.Save(CacheOf(session, identity, plan.Attachments), cancellationToken);
            if (apiBeside && !session.KubeTouched)
            {
                // Only the network-status write needs the API server: its connection is opened meanwhile.
                run.Beside = BackgroundWork.Start(() =>
                {
                    session.Kube?.ConnectAhead?.Invoke(cancellationToken);
                    return Task.FromResult(true);
                }, session.Host.BackgroundWorkOnThreadPool, "plexus-connect");
            }
            await run.AttachAsync(plan.Attachments, 0, moreFollow: false, cancellationToken).ConfigureAwait(false);
        }
        // The runtime gets the cluster network's result in its own cniVersion. A result that version cannot carry
        // (0.1.0 and 0.2.0 need an address) fails the ADD here, where the attachments are undone.
        var version = session.Invocation.Config.CniVersion;
        CniResult? answer = null;
        await run.StepAsync(plan.Attachments, plan.Attachments.Count - 1, failedOwnAdd: false,
            $"network {plan.Attachments[0].Network} ({ifName}): its result in cniVersion {version}", () =>
            {
                answer = run.Results[0].ConvertTo(version);
                return Task.CompletedTask;
            }, cancellationToken).ConfigureAwait(false);
        await run.StepAsync(plan.Attachments, plan.Attachments.Count - 1, failedOwnAdd: false, "caching the results", () =>
        {
            session.Runtime.FlushResultCaches();
            return Task.CompletedTask;
        }, cancellationToken).ConfigureAwait(false);
        if (plan.Routes.Count > 0 && !string.IsNullOrEmpty(session.Invocation.Netns))
        {
            await run.StepAsync(plan.Attachments, plan.Attachments.Count - 1, failedOwnAdd: false, "default-route",
                () => session.Host.PodNetwork.ApplyDefaultRoutesAsync(session.Invocation.Netns, plan.Routes, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        if (pod is not null)
        {
            KubernetesPorts? kube = null;
            // A kubeconfig that cannot be loaded fails the ADD like any other step: the attachments are undone.
            await run.StepAsync(plan.Attachments, plan.Attachments.Count - 1, failedOwnAdd: false, "connecting to the API server", async () =>
            {
                if (run.Beside is { } beside)
                {
                    await beside.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
                kube = session.Kube;
            }, cancellationToken).ConfigureAwait(false);
            if (kube is not null)
            {
                var statuses = plan.Attachments.Select((a, i) => NetworkStatusRenderer.Render(a, run.Results[i], plan.Routes, DeviceLookup.InfoOf(session, a))).ToList();
                var added = PodEvent.AddedInterfaces(plan.Attachments.Select((a, i) => (a.IfName, NetworkStatusRenderer.Cidrs(run.Results[i]), a.Network)));
                // A pod replaced under the runtime's UID fails the ADD as the pod lookup does (its own error, no step).
                await run.StepAsync(plan.Attachments, plan.Attachments.Count - 1, failedOwnAdd: false, step: null,
                    () => StatusPublisher.PublishAsync(session, kube, pod, statuses, added, cancellationToken), cancellationToken).ConfigureAwait(false);
            }
        }
        return answer!;
    }

    /// <summary>
    /// Runs the cluster network's ADD while the selected networks are read from the API server (the first request
    /// of a plugin process pays for the TLS handshake) on another thread: the cluster network needs none of it. The
    /// delegate cache names the cluster network before its delegate runs, and every attachment before the next one does.
    /// </summary>
    private static async Task<AddPlan> AttachClusterWhileResolvingAsync(Session session, AttachRun run, NetworkResolver resolver, NetworkRequest cluster,
        IReadOnlyList<NetworkRequest> statics, PodSelections selections, string ifName, CancellationToken cancellationToken)
    {
        var identity = run.Identity;
        var first = await PlanAsync(session, identity, cluster, [], ifName, cancellationToken).ConfigureAwait(false);
        session.Cache.Save(CacheOf(session, identity, first.Attachments), cancellationToken);
        var resolving = BackgroundWork.Start(async () =>
        {
            var extra = statics.Concat(await resolver.ExtraAsync(selections, cancellationToken).ConfigureAwait(false)).ToList();
            var whole = await PlanAsync(session, identity, cluster, extra, ifName, cancellationToken).ConfigureAwait(false);
            session.Cache.Save(CacheOf(session, identity, whole.Attachments), cancellationToken);
            return whole;
        }, session.Host.BackgroundWorkOnThreadPool, "plexus-resolve");
        run.Beside = resolving;
        await run.AttachAsync(first.Attachments, 0, moreFollow: true, cancellationToken).ConfigureAwait(false);
        // The resolver's and the planner's errors already name the pod (or, for the kubeconfig, the file).
        await run.StepAsync(first.Attachments, 0, failedOwnAdd: false, step: null, () => resolving, cancellationToken).ConfigureAwait(false);
        return resolving.Result;
    }

    private static async Task<AddPlan> PlanAsync(Session session, PodIdentity? identity, NetworkRequest cluster, IReadOnlyList<NetworkRequest> extra, string ifName, CancellationToken cancellationToken)
    {
        var devices = await DeviceLookup.AssignAsync(session, identity, extra.Prepend(cluster).ToList(), cancellationToken).ConfigureAwait(false);
        // The device lookup's errors name the pod already.
        return PodIdentity.Naming(identity, () =>
        {
            var attachments = AttachmentPlanner.Plan(cluster, extra, ifName, RuntimeConfigForCluster(session), devices,
                (network, attachmentIfName) => session.DeviceInfo.Paths.ForAttachment(network, session.ContainerId, attachmentIfName));
            return new AddPlan(attachments, DefaultRoutePlanner.Plan(attachments));
        });
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
            // A Kubernetes runtime names the pod, so its networks are most likely wanted: say why none are attached.
            // Logged at error level, the least verbose one a log is kept at (there is no warning level in Multus's set).
            session.Log(LogLevel.Error, $"pod {identity.Ref}: no Kubernetes access (no \"kubeconfig\" in the config and no " +
                "KUBERNETES_SERVICE_HOST/PORT): its network annotations are not read, only the config's static networks are attached; " +
                "set \"kubeconfig\" (plexus config generate --kubeconfig-path, or --kube-server with --service-account-dir)");
            return null;
        }
        var lookup = await identity.LookUpAsync(session.Kube, cancellationToken).ConfigureAwait(false);
        if (lookup.Pod is { } pod)
        {
            identity.EnsureSamePod(pod);
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

    /// <summary>The attachments of an ADD, as the delegate cache names them, and the default routes to move once all are up.</summary>
    private sealed record AddPlan(IReadOnlyList<Attachment> Attachments, IReadOnlyList<DefaultRouteChange> Routes);

    /// <summary>The delegates an ADD has run so far, with their results: a failing step undoes them in reverse.</summary>
    private sealed class AttachRun(Session session, PodIdentity? identity)
    {
        // Two attachments with the same name never get here, the plan refuses them.
        private readonly PodInterfaces existing = new(session);

        public PodIdentity? Identity => identity;

        public List<CniResult> Results { get; } = [];

        /// <summary>Work going on beside the delegates; a rollback waits for it, so it cannot rewrite the delegate cache afterwards.</summary>
        public Task? Beside { get; set; }

        /// <summary>
        /// ADDs <paramref name="attachments"/> from index <paramref name="from"/> on. Every result cache but the last of the
        /// pod's is written behind the next delegate (its fsync waits for the disk).
        /// </summary>
        public async Task AttachAsync(IReadOnlyList<Attachment> attachments, int from, bool moreFollow, CancellationToken cancellationToken)
        {
            for (var i = from; i < attachments.Count; i++)
            {
                var attachment = attachments[i];
                var step = $"network {attachment.Network} ({attachment.IfName})";
                // Refused before its delegate runs, only the attachments before it are undone: a DEL of this
                // one would remove the pod's own interface of that name.
                await StepAsync(attachments, i - 1, failedOwnAdd: false, step,
                    () => existing.EnsureAbsentAsync(attachment.IfName, cancellationToken), cancellationToken).ConfigureAwait(false);
                var inBackground = moreFollow || i < attachments.Count - 1;
                await StepAsync(attachments, i, failedOwnAdd: true, step, async () =>
                {
                    DeviceLookup.PrepareInfo(session, attachment, cancellationToken);
                    Results.Add(await session.AddAttachmentAsync(attachment, cacheInBackground: inBackground, cancellationToken).ConfigureAwait(false));
                }, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// Runs a step; when it fails, attachments <paramref name="upTo"/>..0 are deleted in reverse and the
        /// error names the pod and step. When the step was attachment <paramref name="upTo"/>'s own ADD, a
        /// failing DEL of it is not kept for later: its ADD failed, so nothing of it is attached, and a
        /// delegate whose DEL trips over its own broken config would make the runtime retry DEL forever.
        /// </summary>
        public async Task StepAsync(IReadOnlyList<Attachment> attachments, int upTo, bool failedOwnAdd, string? step, Func<Task> action, CancellationToken cancellationToken)
        {
            try
            {
                await action().ConfigureAwait(false);
            }
            catch (CniException e)
            {
                if (Beside is { } beside)
                {
                    await beside.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
                var failures = await DelCommand.DetachAsync(session, attachments.Take(upTo + 1).Reverse().ToList(), cancellationToken).ConfigureAwait(false);
                var leftovers = failures.Where(f => !(failedOwnAdd && f.Attachment.Index == upTo)).ToList();
                DelCommand.Remember(session, leftovers, cancellationToken);
                var who = identity is null ? $"container {session.ContainerId}" : $"pod {identity.Ref}";
                var rollback = leftovers.Count == 0 ? "every attachment was removed again" : $"could not remove {string.Join(", ", leftovers.Select(l => l.Attachment.Network))}";
                throw new CniException(e.Code, step is null ? e.Message : $"{who}: {step}: {e.Message}", $"{rollback}. {e.Details}".Trim(), e);
            }
        }
    }
}
