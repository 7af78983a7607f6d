using System.Text.Json.Serialization.Metadata;
using Plexus.Kube;

namespace Plexus.Daemon.Caches;

/// <summary>One cached resource type: where to list and watch it, and how to shrink a wire object to what is kept.</summary>
internal sealed record CacheResource<TWire, T>(
    string Name,
    string Path,
    string? FieldSelector,
    JsonTypeInfo<ListWire<TWire>> ListType,
    JsonTypeInfo<TWire> ItemType,
    Func<TWire, ObjectMeta?> Meta,
    Func<TWire, T> Shrink)
    where T : class
{
    public static CacheResource<PodResource, CachedPod> PodsOnNode(string nodeName) => new(
        "pods",
        "/api/v1/pods",
        "spec.nodeName=" + nodeName,
        DaemonJsonContext.Default.ListWirePodResource,
        DaemonJsonContext.Default.PodResource,
        pod => pod.Metadata,
        pod => new CachedPod(Intern(pod.Metadata?.Namespace), pod.Metadata?.Name ?? "", pod.Metadata?.Uid, Annotations(pod.Metadata)));

    public static CacheResource<NadResource, CachedNad> Nads { get; } = new(
        "network-attachment-definitions",
        "/apis/k8s.cni.cncf.io/v1/network-attachment-definitions",
        null,
        DaemonJsonContext.Default.ListWireNadResource,
        DaemonJsonContext.Default.NadResource,
        nad => nad.Metadata,
        nad => new CachedNad(Intern(nad.Metadata?.Namespace), nad.Metadata?.Name ?? "",
            nad.Spec?.Config is { } config ? System.Text.Encoding.UTF8.GetBytes(config) : null, Annotations(nad.Metadata)));

    /// <summary>The cache key; a BOOKMARK's object has neither namespace nor name (it is never stored).</summary>
    public (string Namespace, string Name) Key(TWire item)
    {
        var meta = Meta(item);
        return (Intern(meta?.Namespace), meta?.Name ?? "");
    }

    // Namespaces repeat across thousands of objects; one copy of each is enough.
    internal static string Intern(string? text) => text is null ? "" : string.IsInterned(text) ?? string.Intern(text);

    /// <summary>The annotations the meta-plugin reads; literals, so every cached object shares these key strings.</summary>
    private static readonly string[] Kept =
    [
        "k8s.v1.cni.cncf.io/networks", // read by Core's network selection (its constants are internal there)
        "v1.multus-cni.io/default-network",
        Plexus.Core.Ports.PodInfo.ConfigSourceAnnotation,
        Plexus.Core.Ports.NetworkAttachmentDefinition.ResourceNameAnnotation,
    ];

    // Everything else (a last-applied-configuration can be kilobytes) is dropped before the object is cached.
    private static IReadOnlyDictionary<string, string> Annotations(ObjectMeta? meta)
    {
        Dictionary<string, string>? kept = null;
        foreach (var key in Kept)
        {
            if (meta?.Annotations?.TryGetValue(key, out var value) == true)
            {
                (kept ??= new Dictionary<string, string>(StringComparer.Ordinal))[key] = value;
            }
        }
        return kept ?? EmptyAnnotations;
    }

    private static readonly IReadOnlyDictionary<string, string> EmptyAnnotations = new Dictionary<string, string>();
}
