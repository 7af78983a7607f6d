using System.Threading.Channels;
using Plexus.NodeAgent.Doctor;
using Plexus.NodeAgent.Generation;
using Plexus.NodeAgent.IO;
using Plexus.NodeAgent.Kubeconfig;
using Plexus.NodeAgent.Selection;

namespace Plexus.NodeAgent.Watch;

/// <summary>
/// Keeps the generated config and kubeconfig in step with the conf dir and the service-account
/// mount: inotify (FileSystemWatcher) events, debounced, trigger a full idempotent pass; there is
/// no polling loop. A lost-events overflow also triggers a pass. Dirs that do not exist yet, or are deleted and
/// recreated, are followed (<see cref="DirWatch"/>), and so are the dirs symlinked conf files point into. It runs
/// holding the conf dir's agent lock (<see cref="ConfDirLock"/>), and waits for it while another agent has it.
/// </summary>
public sealed class ConfigWatcher(ConfigGenerator generator, KubeconfigRefresher? kubeconfig, AgentLog log, TimeProvider time)
{
    // Linux gives up on a path after this many symlinks (MAXSYMLINKS), so no loadable conf file has more.
    private const int MaxLinkHops = 40;

    private static readonly Dictionary<string, long> NoBackupSizes = [];
    private readonly Dictionary<string, DirWatch> _watches = new(StringComparer.Ordinal);
    private string _lastFindings = "";

    private readonly Channel<bool> _changes = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>How long to let a burst of events settle before regenerating.</summary>
    public TimeSpan Debounce { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Retry after a failed pass even if no further event arrives; also how often a waiting agent tries the lock.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Called after every pass (the daemon's metrics, tests and the benchmark observe progress through it).</summary>
    public Action<WatchPass>? Reconciled { get; init; }

    /// <summary>
    /// Waits for the conf dir's agent lock, then runs until cancelled; then removes the generated config when
    /// <paramref name="cleanupOnExit"/>, still holding the lock.
    /// </summary>
    public async Task RunAsync(bool cleanupOnExit, CancellationToken cancellationToken)
    {
        using var agentLock = await LockAsync(cancellationToken).ConfigureAwait(false);
        if (agentLock is null)
        {
            return;
        }
        Track([]);
        try
        {
            Pass(cancellationToken);
            while (await _changes.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                _changes.Reader.TryRead(out _);
                await Task.Delay(Debounce, time, cancellationToken).ConfigureAwait(false);
                _changes.Reader.TryRead(out _);
                Pass(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (var watch in _watches.Values)
            {
                watch.Dispose();
            }
            _watches.Clear();
            if (cleanupOnExit && generator.RemoveOwnConfig(CancellationToken.None))
            {
                log.Info($"removed {generator.Options.OutputPath} on exit (cleanup-config-on-exit)");
            }
        }
    }

    /// <summary>The conf dir's agent lock, once the agent holding it stops; null when cancelled first.</summary>
    private async Task<ConfDirLock?> LockAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await ConfDirLock.AcquireAsync(generator.Options.ConfDir, "watching the conf dir", log, RetryDelay, time, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private void Pass(CancellationToken cancellationToken)
    {
        // Before anything is read: a watch made again after its dir appeared hears every later change, and this pass
        // reads every earlier one.
        foreach (var watch in _watches.Values)
        {
            watch.Arm();
        }
        try
        {
            kubeconfig?.Refresh(cancellationToken);
            var outcome = generator.Generate(cancellationToken);
            if (Track(LinkDirs(outcome.Selection)))
            {
                // A link target edited before its dir's watch is armed is read by one more pass.
                Signal();
            }
            var pass = new WatchPass(outcome, FindingsOf(outcome));
            LogFindings(pass.Findings.Where(f => !ReportedByThePass(f, outcome)));
            Reconciled?.Invoke(pass);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file vanished or changed under us mid-pass; the event that caused it triggers the next pass.
            log.Error($"config pass failed: {e.Message}; retrying in {RetryDelay.TotalSeconds:0} s or on the next change");
            _ = Task.Delay(RetryDelay, time, cancellationToken).ContinueWith(_ => Signal(), TaskScheduler.Default);
        }
    }

    /// <summary>
    /// The doctor's findings in the conf dir the pass started from. A stale Plexus config is left out: the pass itself
    /// rewrites or removes it, so on every change of the primary it would be a false alarm telling the operator to do
    /// what was just done.
    /// </summary>
    private List<Finding> FindingsOf(GenerateOutcome outcome) =>
        outcome.Selection is { } selection
            ? [.. ConfDirChecks.Check(selection, generator.Options.Settings, NoBackupSizes).Where(f => f.Code != ConfDirChecks.StaleConfig)]
            : [];

    /// <summary>
    /// A finding the generation pass has logged itself, with what to do or what it did: the pass keeps it (the daemon
    /// counts it), but it is not logged twice. Every finding about a file that blocks the runtime restates that problem,
    /// and one moved to the backup is gone; of a config the runtime uses instead of Plexus's, only that it loads first.
    /// Matched by path, not name: a file of the same name in a separate autoconfig dir is another file.
    /// </summary>
    private static bool ReportedByThePass(Finding finding, GenerateOutcome outcome) =>
        finding.Path is { } path
        && (outcome.Blocking.Concat(outcome.Moved).Any(f => SameFile(f.Path, path))
            || (finding.Code == ConfDirChecks.ShadowsPlexus && outcome.Bypassing.Any(f => SameFile(f.Path, path))));

    private static bool SameFile(string a, string b) => Path.GetFullPath(a) == Path.GetFullPath(b);

    /// <summary>
    /// The problems among the findings, logged when they change (a missing primary is logged by the pass itself); each
    /// names the file's path, as the pass's own lines do.
    /// </summary>
    private void LogFindings(IEnumerable<Finding> findings)
    {
        var problems = findings
            .Where(f => f.IsProblem && f.Code != ConfDirChecks.NoPrimary)
            .Select(f => $"doctor: {f.Code} {f.Path ?? f.File}: {f.Message}")
            .ToList();
        var key = string.Join("\n", problems);
        if (key == _lastFindings)
        {
            return;
        }
        _lastFindings = key;
        problems.ForEach(log.Warn);
    }

    /// <summary>
    /// Watches the agent's own dirs and <paramref name="linkDirs"/>, and no longer the link dirs of earlier passes;
    /// true when a dir was added (it is armed at the start of the next pass).
    /// </summary>
    private bool Track(IEnumerable<string> linkDirs)
    {
        var wanted = WatchedDirs().Concat(linkDirs).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in _watches.Keys.Where(d => !wanted.Contains(d)).ToList())
        {
            _watches[gone].Dispose();
            _watches.Remove(gone);
        }
        var added = wanted.Where(d => !_watches.ContainsKey(d)).ToList();
        added.ForEach(dir => _watches[dir] = new DirWatch(dir, Signal, log));
        return added.Count > 0;
    }

    private IEnumerable<string> WatchedDirs()
    {
        var dirs = new List<string> { generator.Options.ConfDir, generator.Options.PrimaryDir };
        if (kubeconfig is not null)
        {
            dirs.Add(kubeconfig.Options.ServiceAccountDir);
        }
        if (generator.Options.Settings.ReadinessIndicatorFile is { Length: > 0 } indicator)
        {
            dirs.Add(Path.GetDirectoryName(Path.GetFullPath(indicator))!);
        }
        return dirs.Select(d => Path.TrimEndingDirectorySeparator(Path.GetFullPath(d))).Distinct(StringComparer.Ordinal);
    }

    /// <summary>
    /// The dirs the symlinks among the conf files lead through, each hop's up to the final target's: inotify on the conf
    /// dir hears the link itself change, not the file it points at (a primary linked from /opt and edited there).
    /// </summary>
    private static IEnumerable<string> LinkDirs(PrimarySelection? selection)
    {
        foreach (var file in selection?.Files ?? [])
        {
            var path = file.Path;
            for (var hop = 0; hop < MaxLinkHops && LinkTarget(path) is { } target; hop++)
            {
                yield return Path.GetDirectoryName(target)!;
                path = target;
            }
        }
    }

    private static string? LinkTarget(string path)
    {
        try
        {
            return File.ResolveLinkTarget(path, returnFinalTarget: false) is { } target ? Path.GetFullPath(target.FullName) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private void Signal() => _changes.Writer.TryWrite(true);
}
