using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Plexus.Cni;
using Plexus.Cni.Invoke;
using Plexus.Core.Service;
using Plexus.Daemon.Agent;
using Plexus.Daemon.Caches;
using Plexus.Daemon.Cni;
using Plexus.Daemon.Config;
using Plexus.Daemon.HostRoot;
using Plexus.Daemon.Logging;
using Plexus.Daemon.Metrics;
using Plexus.Kube;
using Plexus.Kubelet;

namespace Plexus.Daemon;

/// <summary>plexusd's composition: config file → server + caches + node agent + the thin plugin's meta-plugin.</summary>
public static class ThickDaemon
{
    public const string DefaultConfigPath = "/etc/plexus/daemon-config.json";

    /// <summary>Pool threads reserved per admitted request: a pod's networks are attached in parallel, a few at most.</summary>
    private const int DelegateWaitersPerRequest = 4;

    /// <summary>Exit code when a background service (a cache, the node agent) crashed and so stopped the daemon.</summary>
    public const int ExitServiceFailed = 3;

    /// <summary>
    /// Runs until SIGTERM/SIGINT has drained the daemon. Exit 2: bad config; 1: cannot start (chrootDir included);
    /// <see cref="ExitServiceFailed"/>: a background service crashed.
    /// </summary>
    /// <param name="stopping">
    /// Drains and stops the daemon as SIGTERM does, for a caller that runs it inside its own process (tests); plexusd
    /// passes none.
    /// </param>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, Func<string, string?> environment, TextWriter stderr,
        CancellationToken stopping = default)
    {
        var path = args.Select(a => a.StartsWith("--config=", StringComparison.Ordinal) ? a["--config=".Length..] : null)
            .LastOrDefault(a => a is not null) ?? DefaultConfigPath;
        if (args.Any(a => !a.StartsWith("--config=", StringComparison.Ordinal)) || path.Length == 0)
        {
            await stderr.WriteLineAsync("usage: plexusd [--config=PATH]   (default " + DefaultConfigPath + ")");
            return 2;
        }
        if (Directory.Exists(path))
        {
            await stderr.WriteLineAsync($"plexusd: cannot read config {path}: it is a directory; --config names the JSON file");
            return 2;
        }
        byte[] json;
        try
        {
            json = await File.ReadAllBytesAsync(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"plexusd: cannot read config {path}: {e.Message}");
            return 2;
        }
        var (settings, errors) = DaemonSettingsParser.Parse(json, environment);
        if (settings is null)
        {
            await stderr.WriteLineAsync($"plexusd: invalid config {path}:\n  " + string.Join("\n  ", errors));
            return 2;
        }
        if (settings.ChrootDir is { } root)
        {
            var (serviceAccountDir, error) = HostRootExecutor.Enter(root, settings.ServiceAccountDir);
            if (error is not null)
            {
                await stderr.WriteLineAsync($"plexusd: cannot start: {error}; mount the node's / there (see deploy/thick/daemonset.yaml) or remove \"chrootDir\" from {path}");
                return 1;
            }
            settings = settings with { ServiceAccountDir = serviceAccountDir! };
            if (ContainerPaths.Problems(settings, Directory.Exists) is { Count: > 0 } problems)
            {
                await stderr.WriteLineAsync($"plexusd: invalid config {path}:\n  " + string.Join("\n  ", problems));
                return 2;
            }
        }
        // Delegates are waited for on the thread that runs them (see Build): enough pool threads for every admitted
        // request's delegates to wait at once, so the pool never has to detect starvation and inject more.
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, DelegateWaitersPerRequest * settings.Server.MaxInFlight), completionPorts);
        using var reaping = DeferredReaper.ReapInBackground();
        try
        {
            await using var server = Build(settings, environment);
            using var stop = stopping.Register(() => _ = server.DrainAndStopAsync("stop requested by the caller"));
            return await ServeAsync(server, stderr);
        }
        catch (Exception e) when (e is InvalidOperationException or CniException or IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"plexusd: cannot start: {e.Message}");
            return 1;
        }
    }

    /// <summary>Serves until the host stops; 0 after a drain, <see cref="ExitServiceFailed"/> if a background service crashed.</summary>
    internal static async Task<int> ServeAsync(DaemonServer server, TextWriter stderr)
    {
        try
        {
            await server.StartAsync(CancellationToken.None);
            await server.WaitForShutdownAsync(CancellationToken.None);
        }
        catch (OperationCanceledException)
        {
            // A service that crashes while the host starts stops it before the listener has bound: the start is cancelled.
        }
        var failed = server.FailedServices();
        if (failed.Count == 0)
        {
            return 0;
        }
        await stderr.WriteLineAsync($"plexusd: stopped because {string.Join(", ", failed)} crashed (see the log above)");
        return ExitServiceFailed;
    }

    /// <param name="effects">
    /// The meta-plugin's delegate executor, live API connection and line log; null: real processes, the kubeconfig
    /// or service account, plexusd's logger. The daemon still times the attachments and puts its caches in front of
    /// the connection (tests run delegates in a node netns and record API writes through this).
    /// </param>
    public static DaemonServer Build(DaemonSettings settings, Func<string, string?> environment, MetaPluginHost? effects = null)
    {
        var metrics = new DaemonMetrics();
        var time = TimeProvider.System;
        var raw = KubeRawApi.TryCreate(settings.Kubeconfig, environment, settings.ServiceAccountDir);
        var caches = raw is null ? null : new KubeCaches();
        var podResources = new KubeletPodResourcesClient();
        var ports = new DaemonKubePorts(effects?.ConnectKubernetes
            ?? (kubeconfig => KubeConnection.TryCreate(kubeconfig, environment, time, settings.ServiceAccountDir, observer: metrics)),
            settings.Kubeconfig, caches, metrics, time);
        return DaemonServer.Build(settings.Server, metrics, logging => ConfigureLogging(logging, settings), services =>
        {
            services.AddSingleton<ICniCallHandler>(sp =>
            {
                var host = new MetaPluginHost
                {
                    // Waiting on the calling (pool) thread instead of a new thread per delegate run: perf under load put
                    // 9% of plexusd's own CPU in starting those threads (Thread.Start yields until the thread runs).
                    Executor = effects?.Executor ?? new ProcessPluginExecutor(new ProcessPluginExecutorOptions { WaitOnCallingThread = true }),
                    AttachmentObserver = metrics,
                    ConnectKubernetes = ports.Connect,
                    // For the same reason result caches written behind the next delegate go to the pool: a new thread for
                    // each took about 1 ms of the request's time here (uprobes), more than the fsync it hides.
                    BackgroundWorkOnThreadPool = true,
                    ApiWorkBesideClusterNetwork = caches is null,
                    PodResources = podResources,
                    Time = time,
                    Log = effects?.Log ?? new LoggerTextWriter(sp.GetRequiredService<ILogger<MetaPlugin>>()),
                    DefaultLogLevel = settings.LogLevel,
                };
                var hotPlug = new HotPlug(host, new HotPlugSettings { BinDir = settings.BinDir, CniDir = settings.CniDir, Kubeconfig = settings.Kubeconfig });
                return new CallKindRouter(new DispatcherCallHandler(new MetaPlugin(host), sp.GetRequiredService<ILogger<DispatcherCallHandler>>(), settings.RequestOverlay),
                    new HotPlugCallHandler(hotPlug));
            });
            if (raw is not null)
            {
                var api = new RenewingKubeApi(new KubeRawApiAdapter(raw),
                    () => KubeRawApi.TryCreate(settings.Kubeconfig, environment, settings.ServiceAccountDir) is { } fresh ? new KubeRawApiAdapter(fresh) : null, time);
                caches!.Register(services, api, settings.NodeName);
            }
            if (settings.Generator is { } generator)
            {
                services.AddSingleton<IHostedService>(sp => new AgentWatchService(generator, settings.BackupDir, settings.CleanupConfigOnExit, metrics, time,
                    sp.GetRequiredService<ILogger<AgentWatchService>>()));
            }
        });
    }

    internal static void ConfigureLogging(ILoggingBuilder logging, DaemonSettings settings)
    {
        if (settings.Server.JsonLogs)
        {
            logging.AddJsonConsole(o => o.IncludeScopes = true);
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.IncludeScopes = true;
                o.SingleLine = true;
            });
        }
        logging.SetMinimumLevel(DaemonLogLevel.Minimum(settings.LogLevel));
    }
}
