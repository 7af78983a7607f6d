using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Plexus.Daemon.Cni;
using Plexus.Daemon.Metrics;
using Plexus.Daemon.Protocol;
using Plexus.Daemon.Protocol.Shim;

namespace Plexus.Daemon.Tests.Testing;

/// <summary>An in-process plexusd on a temp socket dir and an ephemeral metrics port, plus clients for it.</summary>
internal sealed class TestDaemon : IAsyncDisposable
{
    private readonly string _root;
    private bool _disposed;

    private TestDaemon(string root, DaemonServer server, DaemonOptions options)
    {
        _root = root;
        Server = server;
        Options = options;
    }

    public DaemonServer Server { get; }

    public DaemonOptions Options { get; }

    /// <param name="logging">How plexusd logs; default: warnings and worse to nowhere in particular.</param>
    /// <param name="time">plexusd's clock and timers (idle, queue and request timeouts, the drain); default: the system's.</param>
    public static async Task<TestDaemon> StartAsync(
        ICniCallHandler handler, Func<DaemonOptions, DaemonOptions>? configure = null, Action<ILoggingBuilder>? logging = null, TimeProvider? time = null)
    {
        var root = Directory.CreateTempSubdirectory("plexusd-test-").FullName;
        var options = new DaemonOptions
        {
            SocketDir = Path.Combine(root, "run"),
            MetricsEndpoint = new IPEndPoint(IPAddress.Loopback, 0),
        };
        options = configure?.Invoke(options) ?? options;
        var server = DaemonServer.Build(options, new DaemonMetrics(), logging ?? (builder => builder.SetMinimumLevel(LogLevel.Warning)),
            services =>
            {
                services.AddSingleton(handler);
                if (time is not null)
                {
                    // Registered after the server's own TimeProvider.System, so this one is resolved.
                    services.AddSingleton(time);
                }
            });
        await server.StartAsync(CancellationToken.None);
        return new TestDaemon(root, server, options);
    }

    public static byte[] Config(string socketDir, string version = "0.4.0") => Encoding.UTF8.GetBytes(
        $$"""{"cniVersion":"{{version}}","name":"plexus","type":"plexus-shim","daemonSocketDir":"{{socketDir}}","daemonTimeoutSeconds":30}""");

    public static Dictionary<string, string> Env(string command, string containerId = "c1") => new()
    {
        ["CNI_COMMAND"] = command,
        ["CNI_CONTAINERID"] = containerId,
        ["CNI_NETNS"] = "/run/netns/test",
        ["CNI_IFNAME"] = "eth0",
        ["CNI_PATH"] = "/usr/lib/cni",
        ["CNI_ARGS"] = "IgnoreUnknown=1;K8S_POD_NAMESPACE=ns1;K8S_POD_NAME=pod-" + containerId,
    };

    /// <summary>One CNI call exactly as the shim executable makes it.</summary>
    public Task<ShimOutput> ShimAsync(string command, string containerId = "c1") =>
        ShimRunner.RunAsync(Env(command, containerId), Config(Options.SocketDir), CancellationToken.None);

    public HttpClient UnixHttp() => new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, ct) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(Options.SocketPath), ct);
            return new NetworkStream(socket, ownsSocket: true);
        },
    })
    { BaseAddress = new Uri("http://plexusd") };

    public async Task<string> ScrapeAsync()
    {
        using var http = new HttpClient();
        return await http.GetStringAsync(Server.MetricsUri);
    }

    public static JsonObject Json(ShimOutput output) => JsonNode.Parse(output.Stdout)!.AsObject();

    public async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            await Server.DisposeAsync();
        }
        Directory.Delete(_root, recursive: true);
    }
}
