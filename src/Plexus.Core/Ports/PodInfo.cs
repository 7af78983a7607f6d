namespace Plexus.Core.Ports;

/// <summary>What the meta-plugin needs of a pod: identity and annotations.</summary>
public sealed record PodInfo
{
    public const string ConfigSourceAnnotation = "kubernetes.io/config.source";

    public required PodRef Ref { get; init; }

    public string? Uid { get; init; }

    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    /// <summary>Static (file or http) pods: the kubelet's mirror pod has another UID than the runtime's.</summary>
    public bool IsStatic =>
        Annotations.TryGetValue(ConfigSourceAnnotation, out var source) && source.Length > 0 && source != "api";

    public string? Annotation(string key) => Annotations.TryGetValue(key, out var value) ? value : null;
}

/// <summary>A pod lookup: the pod, or null when the API server says it does not exist.</summary>
public sealed record PodLookup(PodInfo? Pod)
{
    public static PodLookup NotFound { get; } = new((PodInfo?)null);

    public bool Found => Pod is not null;
}
