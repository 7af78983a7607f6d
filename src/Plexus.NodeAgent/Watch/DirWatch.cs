namespace Plexus.NodeAgent.Watch;

/// <summary>
/// Hears changes in one directory that may not exist yet, or may be deleted, recreated or renamed over while the
/// agent runs (at boot <c>/run/flannel</c> appears after the agent starts; an autoconfig dir under <c>/var/run</c> is
/// recreated by its own DaemonSet).
/// </summary>
/// <remarks>
/// inotify, under <see cref="FileSystemWatcher"/>, watches an inode, not a path: a FileSystemWatcher cannot be made
/// for a directory that does not exist, and one whose directory is deleted goes deaf without a word (.NET 10 raises
/// no event and no Error, and EnableRaisingEvents stays true), so a recreated directory is never heard. So the
/// directory's name is also watched where it lives: in its parent, or, while it is missing, the first missing name of
/// its path in the nearest existing ancestor. When that name is created, deleted or renamed, the watches are made
/// again from the path (<see cref="Arm"/>, before the pass that the change triggers), and that pass reads whatever
/// happened in between. A periodic re-check while a directory is missing would also work, but it adds up to a period
/// of delay at boot and wakes every node's agent for nothing; the ancestor's watch reports only that one name, at the
/// cost of one more FileSystemWatcher, which on Linux is one more inotify instance (fs.inotify.max_user_instances,
/// 128 per user by default; .NET gives each watcher its own), so a dir costs two. Renames of ancestors further up are
/// not followed.
/// </remarks>
internal sealed class DirWatch(string dir, Action changed, AgentLog log) : IDisposable
{
    private const NotifyFilters Contents = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite
        | NotifyFilters.Size | NotifyFilters.Attributes;

    private const NotifyFilters Names = NotifyFilters.FileName | NotifyFilters.DirectoryName;

    private readonly List<FileSystemWatcher> _watchers = [];
    private int _stale = 1;
    private bool _wasMissing;
    private string? _lastFailure;

    /// <summary>
    /// Makes the watches again when the directory's path changed since they were made (always the first time);
    /// otherwise does nothing. Called from the watch loop only.
    /// </summary>
    public void Arm()
    {
        if (Interlocked.Exchange(ref _stale, 0) == 0)
        {
            return;
        }
        Stop();
        var present = Directory.Exists(dir);
        var (ancestor, name) = WhereToWatchTheName(present);
        try
        {
            // The name's watch first: whatever happens to the path after it is armed is heard, and what happened before
            // is found by the checks below.
            if (ancestor is not null)
            {
                Start(ancestor, name, Names, Restructured);
            }
            if (present)
            {
                Start(dir, "", Contents, changed);
            }
            else if (ancestor is not null && Directory.Exists(Path.Combine(ancestor, name)))
            {
                // Created before the watch was armed; a file in its place is not a step closer and would loop.
                Restructured();
            }
            _lastFailure = null;
        }
        catch (ArgumentException) when (!Directory.Exists(ancestor ?? dir) || (present && !Directory.Exists(dir)))
        {
            // The path changed between the check and the watch: look again on the next pass.
            Restructured();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // inotify limits (fs.inotify.max_user_instances, max_user_watches) or permissions; retried on every pass.
            Interlocked.Exchange(ref _stale, 1);
            if (e.Message != _lastFailure)
            {
                log.Error($"cannot watch {dir}: {e.Message}; its changes are noticed only when something else starts a pass " +
                    "(raise fs.inotify.max_user_instances / max_user_watches if they are exhausted)");
                _lastFailure = e.Message;
            }
        }
        ReportPresence(present, ancestor);
    }

    public void Dispose() => Stop();

    /// <summary>The directory whose entry <paramref name="name"/> is the next step to <c>dir</c>; null for the root.</summary>
    private (string? Ancestor, string Name) WhereToWatchTheName(bool present)
    {
        var child = dir;
        var parent = Path.GetDirectoryName(child);
        while (!present && parent is not null && !Directory.Exists(parent))
        {
            child = parent;
            parent = Path.GetDirectoryName(child);
        }
        return (parent, Path.GetFileName(child));
    }

    private void ReportPresence(bool present, string? ancestor)
    {
        if (!present && !_wasMissing)
        {
            log.Info($"{dir} does not exist (yet); watching {ancestor ?? "/"} for it to appear");
        }
        else if (present && _wasMissing)
        {
            log.Info($"{dir} appeared; watching it");
        }
        _wasMissing = !present;
    }

    private void Start(string path, string filter, NotifyFilters notify, Action onEvent)
    {
        var watcher = new FileSystemWatcher(path, filter)
        {
            NotifyFilter = notify,
            IncludeSubdirectories = false,
            InternalBufferSize = 64 * 1024,
        };
        _watchers.Add(watcher);
        watcher.Created += (_, _) => onEvent();
        watcher.Changed += (_, _) => onEvent();
        watcher.Deleted += (_, _) => onEvent();
        watcher.Renamed += (_, _) => onEvent();
        watcher.Error += (_, e) =>
        {
            // Lost events may have been anything, the path's own changes included.
            log.Warn($"watch on {path} reported {e.GetException().Message}; regenerating from scratch");
            Restructured();
        };
        watcher.EnableRaisingEvents = true;
    }

    private void Restructured()
    {
        Interlocked.Exchange(ref _stale, 1);
        changed();
    }

    private void Stop()
    {
        _watchers.ForEach(w => w.Dispose());
        _watchers.Clear();
    }
}
