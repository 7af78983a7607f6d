namespace Plexus.Core.Ports;

/// <summary>A NetworkAttachmentDefinition: <c>spec.config</c> (conf or conflist JSON text, may be empty) and annotations.</summary>
public sealed record NetworkAttachmentDefinition
{
    public const string ResourceNameAnnotation = "k8s.v1.cni.cncf.io/resourceName";

    public required string Namespace { get; init; }

    public required string Name { get; init; }

    public string? Config { get; init; }

    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    /// <summary>The device-plugin resource whose allocated device this network uses, if any.</summary>
    public string? ResourceName => Annotations.TryGetValue(ResourceNameAnnotation, out var value) && value.Length > 0 ? value : null;

    public string QualifiedName => $"{Namespace}/{Name}";
}

/// <summary>A NAD lookup: the definition, or null when it does not exist.</summary>
public sealed record NadLookup(NetworkAttachmentDefinition? Definition)
{
    public static NadLookup NotFound { get; } = new((NetworkAttachmentDefinition?)null);

    public bool Found => Definition is not null;
}
