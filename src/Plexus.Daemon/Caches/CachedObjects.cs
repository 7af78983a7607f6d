namespace Plexus.Daemon.Caches;

/// <summary>What the pod cache keeps of a pod: identity and annotations only.</summary>
public sealed record CachedPod(string Namespace, string Name, string? Uid, IReadOnlyDictionary<string, string> Annotations);

/// <summary>What the NAD cache keeps of a NetworkAttachmentDefinition: <c>spec.config</c> and annotations.</summary>
public sealed record CachedNad(string Namespace, string Name, string? Config, IReadOnlyDictionary<string, string> Annotations);
