using System.Threading.Channels;
using Plexus.NodeAgent.Doctor;
using Plexus.NodeAgent.Generation;
using Plexus.NodeAgent.Kubeconfig;

namespace Plexus.NodeAgent.Watch;

/// <summary>
/// Keeps the generated config and kubeconfig in step with the conf dir and the service-account
/// mount: inotify (FileSystemWatcher) events, debounced, trigger a full idempotent pass; there is
/// no polling loop. A lost-events overflow also triggers a pass.
/// </summary>
public sealed class ConfigWatcher(ConfigGenerator generator, KubeconfigRefresher? kubeconfig, AgentLog log, TimeProvider time)
{
    private static readonly Dictionary<string, long> NoBackupSizes = [];
    private string _lastFindings = "";

    private readonly Channel<bool> _changes = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>How long to let a burst of events settle before regenerating.</summary>
    public TimeSpan Debounce { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Retry after a failed pass even if no further event arrives.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Called after every pass (the daemon's metrics, tests and the benchmark observe progress through it).</summary>
    public Action<WatchPass>? Reconciled { get; init; }

    /// <summary>Runs until cancelled; then removes the generated config when <paramref name="cleanupOnExit"/>.</summary>
    public async Task RunAsync(bool cleanupOnExit, CancellationToken cancellationToken)
    {
        var watchers = WatchedDirs().Select(Watch).OfType<FileSystemWatcher>().ToList();
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
            watchers.ForEach(w => w.Dispose());
            if (cleanupOnExit && generator.RemoveOwnConfig(CancellationToken.None))
            {
                log.Info($"removed {generator.Options.OutputPath} on exit (cleanup-config-on-exit)");
            }
        }
    }

    private void Pass(CancellationToken cancellationToken)
    {
        try
        {
            kubeconfig?.Refresh(cancellationToken);
            var outcome = generator.Generate(cancellationToken);
            var pass = new WatchPass(outcome, FindingsOf(outcome));
            LogFindings(pass.Findings);
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

    /// <summary>The problems among the findings, logged when they change (a missing primary is logged by the pass itself).</summary>
    private void LogFindings(IReadOnlyList<Finding> findings)
    {
        var problems = findings
            .Where(f => f.IsProblem && f.Code != ConfDirChecks.NoPrimary)
            .Select(f => $"doctor: {f.Code} {f.File}: {f.Message}")
            .ToList();
        var key = string.Join("\n", problems);
        if (key == _lastFindings)
        {
            return;
        }
        _lastFindings = key;
        problems.ForEach(log.Warn);
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

    private FileSystemWatcher? Watch(string dir)
    {
        if (!Directory.Exists(dir))
        {
            log.Warn($"cannot watch {dir}: it does not exist; changes there will not be noticed");
            return null;
        }
        var watcher = new FileSystemWatcher(dir)
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite
                | NotifyFilters.Size | NotifyFilters.Attributes,
            IncludeSubdirectories = false,
            InternalBufferSize = 64 * 1024,
        };
        watcher.Created += (_, _) => Signal();
        watcher.Changed += (_, _) => Signal();
        watcher.Deleted += (_, _) => Signal();
        watcher.Renamed += (_, _) => Signal();
        watcher.Error += (_, e) =>
        {
            log.Warn($"watch on {dir} reported {e.GetException().Message}; regenerating from scratch");
            Signal();
        };
        watcher.EnableRaisingEvents = true;
        return watcher;
    }

    private void Signal() => _changes.Writer.TryWrite(true);
}
