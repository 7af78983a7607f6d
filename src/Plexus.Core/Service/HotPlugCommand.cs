using Plexus.Cni;
using Plexus.Cni.Results;
using Plexus.Core.Cache;
using Plexus.Core.Config;
using Plexus.Core.Planning;
using Plexus.Core.Ports;
using Plexus.Core.Selection;
using Plexus.Core.Status;

namespace Plexus.Core.Service;

/// <summary>
/// Attaching or detaching one network of a running pod (Multus's DelegateAdd/DelegateDel/DelegateCheck): the
/// network is planned as a selection element of the pod would be (capabilities, <c>args.cni</c>), checked against the
/// interfaces the pod has, and run with the session's delegate runtime; the pod's delegate cache follows (<see cref="HotPlugCache"/>).
/// </summary>
internal static class HotPlugCommand
{
    public static async Task<CniResult> AddAsync(Session session, HotPlugRequest request, NetworkSelection? selection, CancellationToken cancellationToken)
    {
        var pod = await FindPodAsync(session, request.Pod, cancellationToken).ConfigureAwait(false);
        var attachment = Plan(request, selection);
        DelegateCacheLoad cache;
        try
        {
            cache = HotPlugCache.LoadForAdd(session, cancellationToken);
        }
        catch (CniException e)
        {
            throw Named(e, request, "ADD");
        }
        await new PodInterfaces(session).EnsureAbsentAsync(attachment.IfName, cancellationToken).ConfigureAwait(false);
        CniResult? result = null;
        try
        {
            result = await session.AddAttachmentAsync(attachment, cacheInBackground: false, cancellationToken).ConfigureAwait(false);
            HotPlugCache.Add(session, cache, attachment, cancellationToken);
        }
        catch (Exception e) when (e is CniException or OperationCanceledException)
        {
            // As for a pod's own attachment, what a failed ADD left is removed; so is what a cancelled one attached (the
            // request's timeout fired, plexusd is stopping): its caller is told it failed, and no cache records it.
            await RollBackAsync(session, request, attachment, added: result is not null, e).ConfigureAwait(false);
            if (e is CniException failure)
            {
                throw Named(failure, request, "ADD");
            }
            throw;
        }
        if (session.Kube is { } kube)
        {
            var added = PodEvent.AddedInterfaces([(attachment.IfName, NetworkStatusRenderer.Cidrs(result), attachment.Network)]);
            try
            {
                await PodEvents.RecordAsync(session, kube, pod.Ref, pod.Uid, added, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The network is attached and recorded: answering the cancellation would make the caller retry an ADD
                // that now finds the interface in the pod. The event is a report (PodEvents); its loss is logged.
                session.Log(LogLevel.Error, $"pod {request.Pod.Ref}: network {request.Network.DisplayName} ({request.IfName}) is attached, " +
                    $"but its {added.Reason} event was not recorded: the request was cancelled (its timeout, or plexusd stopping) meanwhile");
            }
        }
        return result.ConvertTo(CniVersion.V100);
    }

    /// <summary>
    /// Removes what the ADD of a hot-plug that is not reported as done may have attached, even when the request was
    /// cancelled (each delegate run is still bounded by the executor's own timeout). Its DEL failing is logged when
    /// something may stay: the ADD had succeeded, or was cancelled, perhaps after its delegate ran; a failed ADD attached nothing.
    /// </summary>
    private static async Task RollBackAsync(Session session, HotPlugRequest request, Attachment attachment, bool added, Exception cause)
    {
        var failures = await DelCommand.DetachAsync(session, [attachment], CancellationToken.None).ConfigureAwait(false);
        if (failures is [var failure, ..] && (added || cause is OperationCanceledException))
        {
            var why = cause is OperationCanceledException ? "was cancelled" : $"could not be recorded ({cause.Message})";
            session.Log(LogLevel.Error, $"pod {request.Pod.Ref}: ADD of network {request.Network.DisplayName} ({request.IfName}) {why}, and its DEL " +
                $"failed too: {failure.Error.Message}; what it attached may stay in the pod, recorded in no delegate cache: remove it by hand");
        }
    }

    /// <summary>
    /// Unlike a pod's DEL, a delegate's error is returned: the pod lives on, and its caller must know the interface is
    /// still there. Once it is gone, the unplug is answered as done even when its delegate cache cannot be updated (logged
    /// at error level, as for an unusable cache): the caller would otherwise keep an interface the pod no longer has in
    /// its network-status, and the stale record only makes the pod's DEL run this network's DEL once more.
    /// </summary>
    public static async Task DelAsync(Session session, HotPlugRequest request, CancellationToken cancellationToken)
    {
        var attachment = Plan(request, selection: null);
        var failures = await DelCommand.DetachAsync(session, [attachment], cancellationToken).ConfigureAwait(false);
        if (failures is [var failure, ..])
        {
            throw Named(failure.Error, request, "DEL");
        }
        try
        {
            // Whatever the request's deadline does now, the interface is gone and the cache must say so (a short local read and write).
            HotPlugCache.Remove(session, attachment, CancellationToken.None);
        }
        catch (CniException e)
        {
            session.Log(LogLevel.Error, $"pod {request.Pod.Ref}: network {request.Network.DisplayName} ({request.IfName}) is unplugged (its interface is gone), " +
                $"but {e.Message}; that cache still names the network, so the pod's DEL will run its DEL once more. {e.Details}".TrimEnd());
        }
    }

    public static async Task CheckAsync(Session session, HotPlugRequest request, CancellationToken cancellationToken)
    {
        var attachment = Plan(request, selection: null);
        try
        {
            await session.CheckAttachmentAsync(attachment, Session.ListOf(attachment), cancellationToken).ConfigureAwait(false);
        }
        catch (CniException e)
        {
            throw Named(e, request, "CHECK");
        }
    }

    /// <summary>The one attachment, laid out by the same planner as a pod's networks, on the caller's interface name.</summary>
    internal static Attachment Plan(HotPlugRequest request, NetworkSelection? selection) =>
        AttachmentPlanner.Plan(new NetworkRequest(request.Network, selection), [], request.IfName, runtimeConfig: null)[0];

    /// <summary>The pod must exist (plexusd answers from its pod cache): a hot-plug is into a running pod.</summary>
    private static async Task<PodInfo> FindPodAsync(Session session, PodIdentity identity, CancellationToken cancellationToken)
    {
        var kube = session.Kube ?? throw CniException.InvalidConfig(
            $"pod {identity.Ref}: plexusd has no Kubernetes access, and a hot-plug needs the pod",
            "set \"kubeconfig\" in plexusd's config or run it with the in-cluster service account");
        var lookup = await identity.LookUpAsync(kube, cancellationToken).ConfigureAwait(false);
        var pod = lookup.Pod ?? throw new CniException(CniErrorCode.ContainerUnknown,
            $"pod {identity.Ref} does not exist", "a network is hot-plugged only into a running pod");
        identity.EnsureSamePod(pod);
        return pod;
    }

    private static CniException Named(CniException e, HotPlugRequest request, string verb) =>
        e.In($"pod {request.Pod.Ref}: {verb} of network {request.Network.DisplayName} ({request.IfName})");
}
