using System.Text.Json.Nodes;

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

    /// <summary>Set for a version whose objects are kept in another version's form (events.k8s.io/v1 as core events).</summary>
    internal StorageConversion? Conversion { get; init; }

    /// <summary>Storage is per group and resource, shared by all versions (CRD conversion "None"), or the converted version's.</summary>
    public string StorageKey => Conversion?.StorageKey ?? $"{Group}/{Plural}";

    /// <summary>A stored object as this version shows it: the stored node itself (not to be changed) unless it converts.</summary>
    internal JsonObject FromStorage(JsonObject stored) => Conversion?.FromStorage(stored) ?? stored;

    /// <summary>An object of this version in its stored form.</summary>
    internal JsonObject ToStorage(JsonObject obj) => Conversion?.ToStorage(obj) ?? obj;

    public string ListKind => Kind + "List";
}

/// <summary>A version stored in another version's form: where, and how an object crosses over (copies, never the input).</summary>
internal sealed record StorageConversion(string StorageKey, Func<JsonObject, JsonObject> ToStorage, Func<JsonObject, JsonObject> FromStorage);
