using Plexus.Cni;
using Plexus.Core.Ports;

namespace Plexus.Core.Service;

/// <summary>The pod a Kubernetes runtime names in CNI_ARGS (<c>K8S_POD_NAMESPACE</c>, <c>K8S_POD_NAME</c>, <c>K8S_POD_UID</c>).</summary>
internal sealed record PodIdentity(PodRef Ref, string? Uid)
{
    public static PodIdentity? From(CniArgs args) =>
        args.Get("K8S_POD_NAMESPACE") is { Length: > 0 } ns && args.Get("K8S_POD_NAME") is { Length: > 0 } name
            ? new PodIdentity(new PodRef(ns, name), args.Get("K8S_POD_UID") is { Length: > 0 } uid ? uid : null)
            : null;

    /// <summary>
    /// The pod of the runtime's name from <paramref name="kube"/>. One of another UID is read once more from the API
    /// server itself when the first answer came from a cache (plexusd's watch may not have seen the pod replaced yet),
    /// so <see cref="EnsureSamePod"/> judges what the API server holds.
    /// </summary>
    public async Task<PodLookup> LookUpAsync(KubernetesPorts kube, CancellationToken cancellationToken)
    {
        var lookup = await kube.Pods.GetPodAsync(Ref, cancellationToken).ConfigureAwait(false);
        return lookup.Pod is { } pod && IsAnotherPod(pod) && !ReferenceEquals(kube.LivePods, kube.Pods)
            ? await kube.LivePods.GetPodAsync(Ref, cancellationToken).ConfigureAwait(false)
            : lookup;
    }

    /// <summary>
    /// Refuses a pod of the runtime's name but another UID (a static pod keeps its name's UID in the API's mirror
    /// only): the runtime's call is about a pod that was replaced, and retrying reaches the new one. The pod must come
    /// from the API server itself (<see cref="LookUpAsync"/>, <see cref="KubernetesPorts.LivePods"/>), never from a cache.
    /// </summary>
    public void EnsureSamePod(PodInfo pod)
    {
        if (IsAnotherPod(pod))
        {
            throw new CniException(CniErrorCode.TryAgainLater,
                $"expected pod UID \"{Uid}\" but got \"{pod.Uid}\" from Kube API",
                $"pod {Ref} was replaced by a pod of the same name (its UID read from the API server itself, not a cache); " +
                "the runtime will retry with the new one");
        }
    }

    private bool IsAnotherPod(PodInfo pod) => Uid is { } expected && pod.Uid is { } actual && expected != actual && !pod.IsStatic;

    /// <summary>
    /// Runs one step of resolving or planning the networks of <paramref name="pod"/>: its errors name the pod, so
    /// every such error does, once (nothing to name for a call without a pod).
    /// </summary>
    public static T Naming<T>(PodIdentity? pod, Func<T> step)
    {
        try
        {
            return step();
        }
        catch (CniException e) when (pod is not null)
        {
            throw e.In($"pod {pod.Ref}");
        }
    }

    /// <inheritdoc cref="Naming{T}(PodIdentity?, Func{T})"/>
    public static async Task<T> NamingAsync<T>(PodIdentity? pod, Func<Task<T>> step)
    {
        try
        {
            return await step().ConfigureAwait(false);
        }
        catch (CniException e) when (pod is not null)
        {
            throw e.In($"pod {pod.Ref}");
        }
    }

    /// <summary>
    /// Why CNI_ARGS name no pod, for the log: podman passes K8S_POD_NAME without a namespace,
    /// plain libcni callers pass neither. Null when a pod is named.
    /// </summary>
    public static string? MissingReason(CniArgs args) =>
        (args.Get("K8S_POD_NAMESPACE") is { Length: > 0 }, args.Get("K8S_POD_NAME") is { Length: > 0 } name ? name : null) switch
        {
            (true, not null) => null,
            (false, { } podName) => $"CNI_ARGS name pod \"{podName}\" without K8S_POD_NAMESPACE (podman does this): " +
                "attaching the static networks only, no Kubernetes lookup",
            _ => "CNI_ARGS name no pod (K8S_POD_NAMESPACE/K8S_POD_NAME): attaching the static networks only, no Kubernetes lookup",
        };
}
