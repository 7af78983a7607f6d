namespace Plexus.Daemon.Server;

/// <summary>
/// Runs one call per container at a time. A runtime never overlaps a container's calls, but the hot-plug controller's
/// <c>/delegate</c> may overlap the runtime's <c>/cni</c> for the same pod, and both rewrite its delegate cache.
/// Calls for different containers never wait for each other.
/// </summary>
internal sealed class ContainerLocks
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>How many containers have a call running or waiting (for tests).</summary>
    public int Held
    {
        get
        {
            lock (_entries)
            {
                return _entries.Count;
            }
        }
    }

    public async Task<T> RunAsync<T>(string containerId, Func<Task<T>> work, CancellationToken cancellationToken)
    {
        if (containerId.Length == 0)
        {
            return await work().ConfigureAwait(false);
        }
        Entry entry;
        lock (_entries)
        {
            if (!_entries.TryGetValue(containerId, out entry!))
            {
                _entries[containerId] = entry = new Entry();
            }
            entry.Users++;
        }
        try
        {
            await entry.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await work().ConfigureAwait(false);
            }
            finally
            {
                entry.Gate.Release();
            }
        }
        finally
        {
            lock (_entries)
            {
                if (--entry.Users == 0)
                {
                    _entries.Remove(containerId);
                    entry.Gate.Dispose();
                }
            }
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public int Users { get; set; }
    }
}
