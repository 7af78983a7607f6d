using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Plexus.Cni.Invoke;
using Plexus.Cni.Skel;
using Plexus.Core.Service;
using Plexus.Daemon;
using Plexus.Daemon.Cni;
using Plexus.Daemon.Metrics;
using Plexus.Daemon.Protocol.Shim;
using Plexus.Integration.Tests.MetaPlugin;
using Plexus.Kube;

namespace Plexus.Integration.Tests.Hardening;

/// <summary>
/// How a runtime reaches Plexus: "thin" runs the plugin's dispatcher (what <c>plexus</c> runs) on env + stdin;
/// "thick" runs the shim's code against an in-process plexusd server on a unix socket. Both use the same
/// meta-plugin with delegates started inside the bed's node namespace, and answer with exit code and stdout.
/// </summary>
internal sealed class PlexusFrontEnd : IAsyncDisposable
{
    private readonly MetaPluginBed _bed;
    private readonly Core.Service.MetaPlugin _plugin;
    private readonly DaemonServer? _daemon;

    private PlexusFrontEnd(MetaPluginBed bed, Core.Service.MetaPlugin plugin, DaemonServer? daemon, string? socketDir)
    {
        _bed = bed;
        _plugin = plugin;
        _daemon = daemon;
        SocketDir = socketDir;
    }

    public string? SocketDir { get; }

    public static async Task<PlexusFrontEnd> StartAsync(string mode, MetaPluginBed bed, IPluginExecutor? executor = null, int maxInFlight = 16)
    {
        var plugin = new Core.Service.MetaPlugin(new MetaPluginHost
        {
            Executor = executor ?? bed.Node.CreateExecutor(),
            ConnectKubernetes = path => KubeConnection.TryCreate(path, _ => null, TimeProvider.System),
            Log = TextWriter.Null,
        });
        if (mode == "thin")
        {
            return new PlexusFrontEnd(bed, plugin, null, null);
        }
        var socketDir = Path.Combine(bed.Node.Root, "run");
        var options = new DaemonOptions
        {
            SocketDir = socketDir,
            MetricsEndpoint = new IPEndPoint(IPAddress.Loopback, 0),
            MaxInFlight = maxInFlight,
            MaxQueued = 4 * maxInFlight,
        };
        var daemon = DaemonServer.Build(options, new DaemonMetrics(), logging => logging.SetMinimumLevel(LogLevel.Warning),
            services => services.AddSingleton<ICniCallHandler>(new DispatcherCallHandler(plugin, NullLogger<DispatcherCallHandler>.Instance)));
        await daemon.StartAsync(CancellationToken.None);
        return new PlexusFrontEnd(bed, plugin, daemon, socketDir);
    }

    /// <summary>The bed's plexus config (cluster network + extra keys), pointed at the daemon in thick mode.</summary>
    public string Config(string clusterConf, string extra = "") =>
        _bed.Config(clusterConf, SocketDir is null ? extra : $$""",  "daemonSocketDir":"{{SocketDir}}","daemonTimeoutSeconds":60{{extra}}""");

    public async Task<(int Exit, JsonObject? Output)> CallAsync(string command, string containerId, string netns, string config, string podName)
    {
        var env = new Dictionary<string, string>
        {
            ["CNI_COMMAND"] = command,
            ["CNI_CONTAINERID"] = containerId,
            ["CNI_NETNS"] = netns,
            ["CNI_IFNAME"] = "eth0",
            ["CNI_PATH"] = Testing.CniTestNode.DebianPluginDir,
            ["CNI_ARGS"] = $"IgnoreUnknown=1;K8S_POD_NAMESPACE={_bed.Namespace};K8S_POD_NAME={podName};K8S_POD_INFRA_CONTAINER_ID={containerId}",
        };
        var stdin = Encoding.UTF8.GetBytes(config);
        byte[] stdout;
        int exit;
        if (_daemon is null)
        {
            using var output = new MemoryStream();
            exit = await PluginDispatcher.RunAsync(env, new MemoryStream(stdin), output, TextWriter.Null, _plugin, CancellationToken.None);
            stdout = output.ToArray();
        }
        else
        {
            var output = await ShimRunner.RunAsync(env, stdin, CancellationToken.None);
            (exit, stdout) = (output.ExitCode, output.Stdout);
        }
        return (exit, stdout.Length == 0 ? null : JsonNode.Parse(stdout)!.AsObject());
    }

    public async ValueTask DisposeAsync()
    {
        if (_daemon is not null)
        {
            await _daemon.DisposeAsync();
        }
    }
}
