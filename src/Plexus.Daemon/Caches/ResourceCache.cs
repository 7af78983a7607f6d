using System.Collections.Concurrent;

namespace Plexus.Daemon.Caches;

/// <summary>
/// The in-memory side of one list+watch cache, keyed by namespace and name (the object's own strings, no
/// joined key to allocate). A relist swaps in a whole new map so readers never see a half-replaced cache.
/// </summary>
public sealed class ResourceCache<T>
    where T : class
{
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile ConcurrentDictionary<(string Namespace, string Name), T> _items = new();

    public int Count => _items.Count;

    /// <summary>Completes after the first successful list.</summary>
    public Task Synced => _synced.Task;

    public T? Get(string @namespace, string name) =>
        _items.TryGetValue((@namespace, name), out var item) ? item : null;

    internal void Replace(IEnumerable<KeyValuePair<(string Namespace, string Name), T>> items)
    {
        _items = new ConcurrentDictionary<(string Namespace, string Name), T>(items);
        _synced.TrySetResult();
    }

    internal void Set((string Namespace, string Name) key, T item) => _items[key] = item;

    internal void Remove((string Namespace, string Name) key) => _items.TryRemove(key, out _);
}
