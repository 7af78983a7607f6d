using Plexus.NodeAgent.Backup;
using Plexus.NodeAgent.Generation;
using Plexus.NodeAgent.IO;
using Plexus.NodeAgent.Kubeconfig;
using Plexus.NodeAgent.Watch;

namespace Plexus.NodeAgent.Cli;

/// <summary><c>plexus config generate|watch|restore</c> and the Multus-style entrypoint.</summary>
internal static class ConfigCommands
{
    public static int Generate(IReadOnlyList<string> args, CliContext context)
    {
        if (Build(args, context, out var agent) is { } usage)
        {
            return usage;
        }
        GenerateOutcome outcome;
        try
        {
            using var agentLock = ConfDirLock.TryAcquire(agent.Generator.Options.ConfDir, "config generate", context.Time, out var holder);
            if (agentLock is null)
            {
                context.Log.Error(ConfDirLock.Taken(agent.Generator.Options.ConfDir, holder, "config generate"));
                return AgentCli.Failed;
            }
            agent.Kubeconfig.Refresh(context.Stop);
            outcome = agent.Generator.Generate(context.Stop);
        }
        // A full or read-only disk is the node's problem to report, not a crash with a stack trace;
        // the atomic writes have left every file as it was.
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Log.Error($"cannot bring {agent.Generator.Options.ConfDir} up to date: {e.Message}; {agent.Generator.Options.OutputPath} is as it was " +
                $"(the conf dir and the backup dir {agent.Backups.Root} (--backup-dir) must be writable directories with free space; then run again)");
            return AgentCli.Failed;
        }
        context.Stdout.WriteLine(outcome.Message);
        // The config is written, but the runtime never reaches it past a file it cannot load (the log names each).
        return outcome.Status == GenerateStatus.NoPrimary || outcome.Blocking.Count > 0 ? AgentCli.Failed : AgentCli.Ok;
    }

    public static int Watch(IReadOnlyList<string> args, CliContext context)
    {
        if (Build(args, context, out var agent) is { } usage)
        {
            return usage;
        }
        return RunWatch(agent, context);
    }

    /// <summary>Multus thin-entrypoint behaviour: install the binary, then generate and watch.</summary>
    public static int Entrypoint(IReadOnlyList<string> args, CliContext context)
    {
        if (Build(args, context, out var agent) is { } usage)
        {
            return usage;
        }
        if (!agent.Flags.IsOn("skip-multus-binary-copy"))
        {
            var installDir = agent.Flags.Get("install-dir") ?? "/host/opt/cni/bin";
            var source = agent.Flags.Get("multus-bin-file") ?? Environment.ProcessPath;
            if (source is null || InstallCommand.Install([source], installDir, context) != AgentCli.Ok)
            {
                return AgentCli.Failed;
            }
        }
        return RunWatch(agent, context);
    }

    public static int Restore(IReadOnlyList<string> args, CliContext context)
    {
        var flags = FlagParser.Parse(args,
        [
            new("backup-dir", false, "backup root"),
            new("backup", false, "restore only this backup (default: every backup of the conf dir since the last restore)"),
            new("list", true, "list backups"),
        ]);
        if (flags.Error is not null)
        {
            return AgentCli.UsageError(context, flags.Error);
        }
        var store = new BackupStore(flags.Get("backup-dir") ?? ConfigFlags.DefaultBackupDir, context.Time);
        if (flags.IsOn("list"))
        {
            if (!Directory.Exists(store.Root))
            {
                context.Stderr.WriteLine($"plexus: backup dir {store.Root} does not exist; pass the --backup-dir that config generate/watch used");
                return AgentCli.Failed;
            }
            var names = store.List();
            // stdout carries only backup names, which scripts read; the note goes beside them.
            if (names.Count == 0)
            {
                context.Stderr.WriteLine($"plexus: no backups in {store.Root}");
            }
            names.ToList().ForEach(context.Stdout.WriteLine);
            return AgentCli.Ok;
        }
        try
        {
            // A running agent would write its config again, or lose a temp file to the restore: it has to stop first.
            var confDir = store.ConfDirOf(flags.Get("backup"));
            using var agentLock = ConfDirLock.TryAcquire(confDir, "config restore", context.Time, out var holder);
            if (agentLock is null)
            {
                context.Stderr.WriteLine($"plexus: {ConfDirLock.Taken(confDir, holder, "config restore")}");
                return AgentCli.Failed;
            }
            store.Restore(flags.Get("backup"), context.Stop).ToList().ForEach(context.Stdout.WriteLine);
            return AgentCli.Ok;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            context.Stderr.WriteLine($"plexus: restore from {store.Root} failed: {e.Message}");
            return AgentCli.Failed;
        }
    }

    private static int RunWatch(Agent agent, CliContext context)
    {
        var cleanup = agent.Flags.IsOn("cleanup-config-on-exit");
        if (agent.Flags.IsOn("skip-config-watch"))
        {
            var confDir = agent.Generator.Options.ConfDir;
            GenerateOutcome outcome;
            // Waits like a watch would: this too is a DaemonSet's container, which may start before the old one stops.
            using (ConfDirLock.AcquireAsync(confDir, "generating once (--skip-config-watch)", context.Log, TimeSpan.FromSeconds(1), context.Time, context.Stop)
                .GetAwaiter().GetResult())
            {
                // One short pass that a signal must not cut in half; then only the signal matters.
                agent.Kubeconfig.Refresh(CancellationToken.None);
                outcome = agent.Generator.Generate(CancellationToken.None);
            }
            if (outcome.Status == GenerateStatus.NoPrimary)
            {
                // Multus's thin entrypoint gives up at once too: waiting for a signal would leave the node without a
                // config and the container running, so it would never be restarted to try again.
                context.Log.Error("exiting 1 at once, no config written: with --skip-config-watch nothing would write the config later");
                return AgentCli.Failed;
            }
            context.Stop.WaitHandle.WaitOne();
            if (cleanup)
            {
                RemoveOnExit(agent.Generator, context);
            }
            return AgentCli.Ok;
        }
        context.Log.Info($"watching {agent.Generator.Options.PrimaryDir} for the primary CNI config");
        var watcher = new ConfigWatcher(agent.Generator, agent.Kubeconfig, context.Log, context.Time);
        watcher.RunAsync(cleanup, context.Stop).GetAwaiter().GetResult();
        return AgentCli.Ok;
    }

    /// <summary>Cleanup on exit after --skip-config-watch, unless another agent has taken the conf dir over meanwhile.</summary>
    private static void RemoveOnExit(ConfigGenerator generator, CliContext context)
    {
        using var agentLock = ConfDirLock.TryAcquire(generator.Options.ConfDir, "removing the config on exit", context.Time, out var holder);
        if (agentLock is null)
        {
            context.Log.Warn($"left {generator.Options.OutputPath} in place on exit: another Plexus agent keeps it current ({holder})");
        }
        else if (generator.RemoveOwnConfig(CancellationToken.None))
        {
            context.Log.Info($"removed {generator.Options.OutputPath} on exit (cleanup-config-on-exit)");
        }
    }

    private static int? Build(IReadOnlyList<string> args, CliContext context, out Agent agent)
    {
        agent = null!;
        var flags = FlagParser.Parse(args, ConfigFlags.All);
        if (flags.Error is not null)
        {
            return AgentCli.UsageError(context, flags.Error);
        }
        var (options, kubeconfig, error) = ConfigFlags.Agent(flags, context.Environment);
        if (options is null || kubeconfig is null)
        {
            return AgentCli.UsageError(context, error!);
        }
        if (!Directory.Exists(options.ConfDir))
        {
            context.Stderr.WriteLine($"plexus: conf dir {options.ConfDir} does not exist; mount the host's CNI conf dir there or pass --conf-dir");
            return AgentCli.Usage;
        }
        if (flags.IsOn("rename-conf-file"))
        {
            context.Log.Warn("--rename-conf-file is ignored: renaming the primary would lose it on the next restart");
        }
        var backup = new BackupStore(flags.Get("backup-dir") ?? ConfigFlags.DefaultBackupDir, context.Time);
        agent = new Agent(flags, new ConfigGenerator(options, backup, context.Log), new KubeconfigRefresher(kubeconfig, context.Log), backup);
        return null;
    }

    private sealed record Agent(ParsedFlags Flags, ConfigGenerator Generator, KubeconfigRefresher Kubeconfig, BackupStore Backups);
}
