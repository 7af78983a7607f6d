using Plexus.Cni.Invoke;
using Plexus.NodeAgent.Backup;
using Plexus.NodeAgent.Doctor;
using Plexus.NodeAgent.Generation;
using Plexus.NodeAgent.Rendering;

namespace Plexus.NodeAgent.Cli;

/// <summary><c>plexus doctor --conf-dir DIR [--bin-dir DIR[:DIR]] [--fix] [--json]</c>: exit 0 healthy, 1 problems, 2 could not check.</summary>
internal static class DoctorCommand
{
    private static readonly FlagSpec[] Flags =
    [
        new("conf-dir", false, "CNI conf dir to examine", "cni-conf-dir"),
        new("bin-dir", false, "CNI bin dirs, ':'-separated (default /opt/cni/bin:/usr/lib/cni)", "cni-bin-dir"),
        new("fix", true, "back up, unwrap nested configs and regenerate"),
        new("json", true, "JSON output"),
        new("backup-dir", false, "backup root (default " + ConfigFlags.DefaultBackupDir + ")"),
        new("config-file-name", false, "Plexus's config file name (default " + ConfigSettings.DefaultFileName + ")"),
        new("kubeconfig-file", false, "the agent's kubeconfig (default <conf-dir>/plexus.d/plexus.kubeconfig)"),
    ];

    public static int Run(IReadOnlyList<string> args, CliContext context)
    {
        var flags = FlagParser.Parse(args, Flags);
        if (flags.Error is not null)
        {
            return AgentCli.UsageError(context, flags.Error);
        }
        var confDir = flags.Get("conf-dir") ?? ConfigFlags.DefaultConfDir;
        if (!Directory.Exists(confDir))
        {
            context.Stderr.WriteLine($"plexus doctor: cannot check: conf dir {confDir} does not exist");
            return AgentCli.Usage;
        }
        var binDirs = (flags.Get("bin-dir") ?? "/opt/cni/bin:/usr/lib/cni").Split(':', StringSplitOptions.RemoveEmptyEntries);
        var backup = new BackupStore(flags.Get("backup-dir") ?? ConfigFlags.DefaultBackupDir, context.Time);
        var options = new GeneratorOptions
        {
            ConfDir = confDir,
            Settings = new ConfigSettings { FileName = flags.Get("config-file-name") ?? ConfigSettings.DefaultFileName },
        };
        var kubeconfig = flags.Get("kubeconfig-file") ?? Path.Combine(confDir, "plexus.d", "plexus.kubeconfig");
        var doctor = new DoctorRunner(new ConfigGenerator(options, backup, context.Log), backup,
            new PluginVersionProbe(new ProcessPluginExecutor(new ProcessPluginExecutorOptions { Timeout = TimeSpan.FromSeconds(5) }), binDirs),
            [kubeconfig]);
        try
        {
            var actions = flags.IsOn("fix") ? doctor.Fix(context.Stop) : [];
            var report = doctor.Examine(context.Stop) with { Actions = actions };
            context.Stdout.Write(flags.IsOn("json") ? report.ToJson() : report.ToTable());
            return report.Healthy ? AgentCli.Ok : AgentCli.Failed;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Stderr.WriteLine($"plexus doctor: cannot check {confDir}: {e.Message}");
            return AgentCli.Usage;
        }
    }
}
