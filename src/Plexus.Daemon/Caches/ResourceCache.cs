using System.Collections.Concurrent;

namespace Plexus.Daemon.Caches;

/// <summary>
/// The in-memory side of one list+watch cache, keyed by <c>namespace/name</c>. A relist swaps in a
/// whole new map so readers never see a half-replaced cache.
/// </summary>
public sealed class ResourceCache<T>
    where T : class
{
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile ConcurrentDictionary<string, T> _items = new(StringComparer.Ordinal);

    public int Count => _items.Count;

    /// <summary>Completes after the first successful list.</summary>
    public Task Synced => _synced.Task;

    public T? Get(string @namespace, string name) =>
        _items.TryGetValue(Key(@namespace, name), out var item) ? item : null;

    internal static string Key(string @namespace, string name) => @namespace + "/" + name;

    internal void Replace(IEnumerable<KeyValuePair<string, T>> items)
    {
        _items = new ConcurrentDictionary<string, T>(items, StringComparer.Ordinal);
        _synced.TrySetResult();
    }

    internal void Set(string key, T item) => _items[key] = item;

    internal void Remove(string key) => _items.TryRemove(key, out _);
}
