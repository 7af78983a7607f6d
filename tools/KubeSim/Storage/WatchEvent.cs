namespace Plexus.KubeSim.Storage;

/// <summary>One change as the store recorded it; <paramref name="Previous"/> is the state before.</summary>
public sealed record WatchEvent(string Type, string StorageKey, StoredObject Object, StoredObject? Previous)
{
    public const string Added = "ADDED";
    public const string Modified = "MODIFIED";
    public const string Deleted = "DELETED";

    public long ResourceVersion => Object.ResourceVersion;
}
