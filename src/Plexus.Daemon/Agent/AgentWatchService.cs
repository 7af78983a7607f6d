using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Plexus.Daemon.Logging;
using Plexus.Daemon.Metrics;
using Plexus.NodeAgent;
using Plexus.NodeAgent.Backup;
using Plexus.NodeAgent.Generation;
using Plexus.NodeAgent.Watch;

namespace Plexus.Daemon.Agent;

/// <summary>
/// The node agent's config generation and watch, in-process (generated type <c>plexus-shim</c>): the same
/// watcher as <c>plexus config watch</c>; on shutdown it removes the generated config (unless told to keep it)
/// so the node stops sending pods to a daemon that is gone. It waits for the conf dir's agent lock while a
/// <c>plexus config watch</c> still holds it (a switch from a thin DaemonSet). Each pass's doctor findings (self-delegation, shadowing configs, …)
/// are counted in <c>plexus_doctor_findings_total</c> when they appear.
/// </summary>
internal sealed class AgentWatchService(
    GeneratorOptions options, string backupDir, bool cleanupOnExit, DaemonMetrics metrics, TimeProvider time, ILogger<AgentWatchService> logger)
    : BackgroundService
{
    private readonly FindingTracker _findings = new();

    /// <summary>How the daemon names this loop when it crashes.</summary>
    public override string ToString() => "the node agent (config generation and watch)";

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var log = new AgentLog(new LoggerTextWriter(logger), time);
        var generator = new ConfigGenerator(options, new BackupStore(backupDir, time), log);
        var watcher = new ConfigWatcher(generator, kubeconfig: null, log, time)
        {
            Reconciled = pass =>
            {
                var status = pass.Outcome.Status switch
                {
                    GenerateStatus.Written => "written",
                    GenerateStatus.Unchanged => "unchanged",
                    _ => "no_primary",
                };
                metrics.ConfigRegenerations.WithLabels(status).Inc();
                logger.AgentPass(status, pass.Outcome.Message);
                foreach (var code in _findings.Detect(pass.Findings))
                {
                    metrics.DoctorFindings.WithLabels(code).Inc();
                }
            },
        };
        return watcher.RunAsync(cleanupOnExit, stoppingToken);
    }
}
