using Plexus.Cni;
using Plexus.Cni.Invoke;
using Plexus.Cni.Json;
using Plexus.NodeAgent.Backup;
using Plexus.NodeAgent.Doctor;
using Plexus.NodeAgent.Generation;
using Plexus.NodeAgent.IO;
using Plexus.NodeAgent.Kubeconfig;
using Plexus.NodeAgent.Rendering;

namespace Plexus.NodeAgent.Cli;

/// <summary>
/// <c>plexus doctor --conf-dir DIR [--bin-dir DIR[:DIR]] [--fix] [--json] [generation flags]</c>: exit 0 healthy,
/// 1 problems, 2 could not check. <c>--fix</c> regenerates with the settings of the Plexus config already in the
/// dir, each overridden by its <c>config generate</c> flag when given.
/// </summary>
internal static class DoctorCommand
{
    private const string ProbeBinDir = "probe-bin-dir";

    private static readonly FlagSpec[] Own =
    [
        new(ProbeBinDir, false, "CNI bin dirs to look for plugins in, ':'-separated (default /opt/cni/bin:/usr/lib/cni)", "bin-dir", "cni-bin-dir"),
        new("fix", true, "back up, unwrap nested configs, recover the primary, regenerate, chmod readable kubeconfigs"),
        new("json", true, "JSON output"),
    ];

    /// <summary>
    /// The generation flags of <c>config generate</c>, then the doctor's own. A later spec takes a name over, so the
    /// doctor's meaning wins where they clash: <c>--bin-dir</c>/<c>--cni-bin-dir</c> are where plugins are looked for,
    /// and the config's binDir is set with Multus's <c>--additional-bin-dir</c>.
    /// </summary>
    internal static IReadOnlyList<FlagSpec> Flags { get; } = [.. ConfigFlags.Generation, .. Own];

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
        var fileName = flags.Get("config-file-name") ?? ConfigSettings.DefaultFileName;
        // The same settings and kubeconfig rule as config generate: a rebuilt config names the kubeconfig the agent keeps fresh.
        var (options, kubeconfig, error) = ConfigFlags.Agent(flags, context.Environment, ExistingSettings(Path.Combine(confDir, fileName), fileName));
        if (options is null || kubeconfig is null)
        {
            return AgentCli.UsageError(context, error!);
        }
        var binDirs = (flags.Get(ProbeBinDir) ?? "/opt/cni/bin:/usr/lib/cni").Split(':', StringSplitOptions.RemoveEmptyEntries);
        var backup = new BackupStore(flags.Get("backup-dir") ?? ConfigFlags.DefaultBackupDir, context.Time);
        var doctor = new DoctorRunner(new ConfigGenerator(options, backup, context.Log), backup,
            new PluginVersionProbe(new ProcessPluginExecutor(new ProcessPluginExecutorOptions { Timeout = TimeSpan.FromSeconds(5) }), binDirs),
            [kubeconfig.OutputPath]);
        try
        {
            var holder = "";
            using var agentLock = flags.IsOn("fix") ? ConfDirLock.TryAcquire(confDir, "doctor --fix", context.Time, out holder) : null;
            if (flags.IsOn("fix") && agentLock is null)
            {
                context.Stderr.WriteLine($"plexus doctor: not fixing: {ConfDirLock.Taken(confDir, holder, "doctor --fix")}");
                return AgentCli.Failed;
            }
            IReadOnlyList<FixAction> actions = flags.IsOn("fix") ? [.. RefreshKubeconfig(kubeconfig, context), .. doctor.Fix(context.Stop)] : [];
            var report = doctor.Examine(context.Stop) with { Actions = actions };
            context.Stdout.Write(flags.IsOn("json") ? report.ToJson() : report.ToTable());
            return report.Healthy && report.Actions.All(a => a.Done) ? AgentCli.Ok : AgentCli.Failed;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Stderr.WriteLine($"plexus doctor: cannot check {confDir}: {e.Message}");
            return AgentCli.Usage;
        }
    }

    /// <summary>
    /// With an API server known (in the agent's container), the kubeconfig the config names is written from the service
    /// account as the agent would, so a repaired node does not wait for the agent; the refresher warns when it cannot.
    /// </summary>
    private static IEnumerable<FixAction> RefreshKubeconfig(KubeconfigOptions kubeconfig, CliContext context) =>
        new KubeconfigRefresher(kubeconfig, context.Log).Refresh(context.Stop)
            ? [FixAction.Fixed($"wrote kubeconfig {kubeconfig.OutputPath} from service account {kubeconfig.ServiceAccountDir}")]
            : [];

    /// <summary>The settings of the Plexus config in the dir; null when there is none or it does not parse.</summary>
    private static ConfigSettings? ExistingSettings(string path, string fileName)
    {
        try
        {
            return ConfigSettingsReader.Read(CniJson.ParseObject(File.ReadAllBytes(path), path), fileName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CniException)
        {
            return null;
        }
    }
}
