using System.Collections.Concurrent;

namespace Plexus.NodeAgent.Tests;

/// <summary>
/// A dir's file changes in the order they happened (inotify keeps it), as "wrote NAME" (an atomic write's rename into
/// place) and "removed NAME": what a crash between two steps would have left behind.
/// </summary>
public sealed class DirChanges : IDisposable
{
    private readonly ConcurrentQueue<string> _changes = new();
    private readonly FileSystemWatcher _watcher;

    public DirChanges(string dir)
    {
        _watcher = new FileSystemWatcher(dir) { NotifyFilter = NotifyFilters.FileName };
        _watcher.Renamed += (_, e) => _changes.Enqueue("wrote " + e.Name);
        _watcher.Deleted += (_, e) => _changes.Enqueue("removed " + e.Name);
        _watcher.EnableRaisingEvents = true;
    }

    /// <summary>Waits until both changes are seen, then asserts <paramref name="first"/> came before <paramref name="then"/>.</summary>
    public void AssertOrder(string first, string then)
    {
        Eventually.True(() => _changes.Contains(first) && _changes.Contains(then), $"\"{first}\" and \"{then}\" seen");
        var order = _changes.ToList();
        Assert.True(order.IndexOf(first) < order.IndexOf(then), string.Join(", ", order));
    }

    public void Dispose() => _watcher.Dispose();
}
