namespace Plexus.KubeSim.Discovery;

/// <summary>One served group/version/resource, as discovery lists it.</summary>
public sealed record ResourceType
{
    public required string Group { get; init; }
    public required string Version { get; init; }
    public required string Plural { get; init; }
    public required string Singular { get; init; }
    public required string Kind { get; init; }
    public required bool Namespaced { get; init; }
    public IReadOnlyList<string> ShortNames { get; init; } = [];
    public IReadOnlyList<string> Categories { get; init; } = [];
    public bool HasStatus { get; init; }

    /// <summary>A kind the API server itself defines (not a custom resource): strategic merge and its own field labels apply.</summary>
    public bool IsBuiltin { get; init; }

    /// <summary>A create-only review (SelfSubjectAccessReview, SelfSubjectRulesReview): answered from its spec, never stored.</summary>
    public bool IsReview { get; init; }

    /// <summary>True for objects whose spec changes bump <c>metadata.generation</c>.</summary>
    public bool TracksGeneration { get; init; } = true;

    public string GroupVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>Storage is per group and resource, shared by all versions (CRD conversion "None").</summary>
    public string StorageKey => $"{Group}/{Plural}";

    public string ListKind => Kind + "List";
}
