using System.Globalization;
using System.Text.Json.Nodes;

namespace Plexus.KubeSim.Storage;

/// <summary>
/// The in-memory object store: one global resourceVersion counter (like etcd's revision),
/// a bounded history of changes for watches that resume, and the live watchers. Every change
/// runs under one lock, so a write's read-check-write is atomic.
/// </summary>
public sealed class ObjectStore
{
    private readonly object _gate = new();
    private readonly Dictionary<string, SortedDictionary<string, StoredObject>> _data = new(StringComparer.Ordinal);
    private readonly Queue<WatchEvent> _history = new();
    private readonly List<WatchSubscription> _watchers = [];
    private readonly int _historyLimit;
    private long _revision;
    private long _compacted;

    public ObjectStore(int historyLimit) => _historyLimit = Math.Max(1, historyLimit);

    /// <summary>Raised under the store lock after every committed change, in order.</summary>
    public event Action<WatchEvent>? Committed;

    public long Revision { get { lock (_gate) return _revision; } }

    public int WatcherCount { get { lock (_gate) return _watchers.Count; } }

    public StoredObject? Get(string storageKey, string ns, string name)
    {
        lock (_gate)
        {
            return _data.TryGetValue(storageKey, out var objects) && objects.TryGetValue(Key(ns, name), out var obj) ? obj : null;
        }
    }

    public (List<StoredObject> Items, long Revision) List(string storageKey, string? ns, Func<JsonObject, bool> filter)
    {
        lock (_gate)
        {
            var items = new List<StoredObject>();
            if (_data.TryGetValue(storageKey, out var objects))
            {
                foreach (var obj in objects.Values)
                {
                    if ((ns is null || obj.Namespace == ns) && filter(obj.Node))
                    {
                        items.Add(obj);
                    }
                }
            }
            return (items, _revision);
        }
    }

    /// <summary>
    /// Reads the current object, lets <paramref name="change"/> decide the next state (null deletes;
    /// it may throw <see cref="Api.ApiException"/> to refuse) and commits it with a new resourceVersion.
    /// A dry run returns what would have been stored and changes nothing.
    /// </summary>
    public WriteResult Write(string storageKey, string ns, string name, Func<StoredObject?, JsonObject?> change, bool dryRun)
    {
        lock (_gate)
        {
            var objects = Objects(storageKey);
            var key = Key(ns, name);
            objects.TryGetValue(key, out var current);
            var next = change(current);
            if (next is null && current is null)
            {
                return new WriteResult(null, null);
            }
            if (current is not null && next is not null && IsUnchanged(current, next))
            {
                // kube-apiserver skips a write that changes nothing: same resourceVersion, no event.
                return new WriteResult(current, null);
            }
            if (dryRun)
            {
                return new WriteResult(StoredObject.Freeze(next ?? current!.CloneNode(), current?.ResourceVersion ?? 0), null);
            }
            var revision = ++_revision;
            var stored = StoredObject.Freeze(WithVersion(next ?? current!.CloneNode(), revision), revision);
            string type;
            if (next is null)
            {
                objects.Remove(key);
                type = WatchEvent.Deleted;
            }
            else
            {
                objects[key] = stored;
                type = current is null ? WatchEvent.Added : WatchEvent.Modified;
            }
            Commit(new WatchEvent(type, storageKey, stored, current));
            return new WriteResult(stored, type);
        }
    }

    /// <summary>Deletes every object of a resource that matches (cascades for namespaces and CRDs).</summary>
    public int DeleteWhere(string storageKey, Func<StoredObject, bool> predicate)
    {
        lock (_gate)
        {
            var victims = _data.TryGetValue(storageKey, out var objects) ? objects.Values.Where(predicate).ToList() : [];
            foreach (var victim in victims)
            {
                Write(storageKey, victim.Namespace ?? "", victim.Name, _ => null, dryRun: false);
            }
            return victims.Count;
        }
    }

    /// <summary>
    /// Starts a watch. From <paramref name="sinceRevision"/> it replays retained history (null when it
    /// is older than the history holds: the caller answers 410); without one it starts with the
    /// current objects as ADDED events.
    /// </summary>
    public WatchSubscription? Subscribe(string storageKey, string? ns, Func<JsonObject, bool> filter, long? sinceRevision,
        out long compactedRevision)
    {
        lock (_gate)
        {
            compactedRevision = _compacted;
            if (sinceRevision is { } since && since < _compacted)
            {
                return null;
            }
            var subscription = new WatchSubscription(storageKey, ns, filter, Unsubscribe);
            if (sinceRevision is { } from)
            {
                foreach (var change in _history)
                {
                    if (change.ResourceVersion > from) subscription.Offer(change);
                }
            }
            else if (_data.TryGetValue(storageKey, out var objects))
            {
                foreach (var obj in objects.Values)
                {
                    if ((ns is null || obj.Namespace == ns) && filter(obj.Node)) subscription.OfferInitial(obj);
                }
            }
            _watchers.Add(subscription);
            return subscription;
        }
    }

    /// <summary>The revision a bookmark may announce: only when the watcher has nothing pending.</summary>
    public long? BookmarkRevision(WatchSubscription subscription)
    {
        lock (_gate) return subscription.HasPending ? null : _revision;
    }

    public void DropWatchers()
    {
        lock (_gate)
        {
            foreach (var watcher in _watchers) watcher.Drop();
        }
    }

    public (long Revision, List<(string StorageKey, StoredObject Object)> Objects) Snapshot()
    {
        lock (_gate)
        {
            return (_revision, [.. _data.SelectMany(p => p.Value.Values.Select(o => (p.Key, o)))]);
        }
    }

    /// <summary>Loads persisted state into an empty store (no events: nobody watches yet).</summary>
    public void Restore(long revision, IEnumerable<(string StorageKey, JsonObject Node)> objects)
    {
        lock (_gate)
        {
            foreach (var (storageKey, node) in objects)
            {
                var rv = long.Parse(node["metadata"]?["resourceVersion"]?.GetValue<string>() ?? "0", CultureInfo.InvariantCulture);
                var stored = StoredObject.Freeze(node, rv);
                Objects(storageKey)[Key(stored.Namespace ?? "", stored.Name)] = stored;
                Committed?.Invoke(new WatchEvent(WatchEvent.Added, storageKey, stored, null));
            }
            _revision = Math.Max(_revision, revision);
            _compacted = _revision;
        }
    }

    private void Commit(WatchEvent change)
    {
        _history.Enqueue(change);
        while (_history.Count > _historyLimit)
        {
            _compacted = _history.Dequeue().ResourceVersion;
        }
        foreach (var watcher in _watchers) watcher.Offer(change);
        Committed?.Invoke(change);
    }

    private void Unsubscribe(WatchSubscription subscription)
    {
        lock (_gate) _watchers.Remove(subscription);
    }

    private SortedDictionary<string, StoredObject> Objects(string storageKey)
    {
        if (!_data.TryGetValue(storageKey, out var objects))
        {
            objects = new SortedDictionary<string, StoredObject>(StringComparer.Ordinal);
            _data[storageKey] = objects;
        }
        return objects;
    }

    // A candidate's resourceVersion (absent, or the precondition it passed) is put aside: the
    // store assigns it, so it never makes a write a change.
    private static bool IsUnchanged(StoredObject current, JsonObject next)
    {
        if (next["metadata"] is not JsonObject metadata) return false;
        var given = metadata["resourceVersion"]?.DeepClone();
        metadata["resourceVersion"] = current.ResourceVersion.ToString(CultureInfo.InvariantCulture);
        var same = JsonNode.DeepEquals(current.Node, next);
        if (given is null) metadata.Remove("resourceVersion");
        else metadata["resourceVersion"] = given;
        return same;
    }

    private static JsonObject WithVersion(JsonObject node, long revision)
    {
        if (node["metadata"] is not JsonObject metadata)
        {
            metadata = [];
            node["metadata"] = metadata;
        }
        metadata["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture);
        return node;
    }

    private static string Key(string ns, string name) => ns + "/" + name;
}

/// <summary>What a write stored (null when it deleted nothing) and the watch event type it raised.</summary>
public sealed record WriteResult(StoredObject? Object, string? EventType);
