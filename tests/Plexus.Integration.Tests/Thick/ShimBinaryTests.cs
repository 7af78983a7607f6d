using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Plexus.Cni;
using Plexus.Cni.Results;
using Plexus.Cni.Skel;
using Plexus.Daemon;
using Plexus.Daemon.Cni;
using Plexus.Daemon.Metrics;
using Plexus.Testing;

namespace Plexus.Integration.Tests.Thick;

/// <summary>The published shim executable against no daemon, a hung daemon, and a real in-process plexusd server.</summary>
public sealed class ShimBinaryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("plexus-thick-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SkippableFact]
    public async Task Version_NoDaemon_AnswersLocally()
    {
        Skip.IfNot(PublishedBinary.Shim.Exists, PublishedBinary.Shim.NotPublished);

        var (exit, stdout) = await RunShimAsync(new Dictionary<string, string> { ["CNI_COMMAND"] = "VERSION" }, Config());

        Assert.Equal(0, exit);
        Assert.Equal(CniVersion.Supported.Select(v => v.ToString()), JsonNode.Parse(stdout)!["supportedVersions"]!.AsArray().Select(v => (string?)v));
    }

    [SkippableFact]
    public async Task Add_DaemonDown_Code11AndNonZeroExit()
    {
        Skip.IfNot(PublishedBinary.Shim.Exists, PublishedBinary.Shim.NotPublished);

        var (exit, stdout) = await RunShimAsync(Env("ADD"), Config());

        Assert.NotEqual(0, exit);
        Assert.Equal(CniErrorCode.TryAgainLater, (int)JsonNode.Parse(stdout)!["code"]!);
    }

    [SkippableFact]
    public async Task Del_DaemonHung_Code11WithinItsTimeout()
    {
        Skip.IfNot(PublishedBinary.Shim.Exists, PublishedBinary.Shim.NotPublished);
        // Listens (so connect succeeds through the backlog) but never accepts or answers.
        using var hung = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        hung.Bind(new UnixDomainSocketEndPoint(Path.Combine(_dir, "plexus.sock")));
        hung.Listen(8);
        var watch = Stopwatch.StartNew();

        var (exit, stdout) = await RunShimAsync(Env("DEL"), Config(timeoutSeconds: 1));

        Assert.NotEqual(0, exit);
        Assert.Equal(CniErrorCode.TryAgainLater, (int)JsonNode.Parse(stdout)!["code"]!);
        // The point is "does not hang": bounded well above the 1 s timeout for a loaded machine.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
    }

    [SkippableFact]
    public async Task AddAndDelError_ThroughDaemon_SameBytesAsThinDispatcher()
    {
        Skip.IfNot(PublishedBinary.Shim.Exists, PublishedBinary.Shim.NotPublished);
        var plugin = new DelFailsPlugin();
        var options = new DaemonOptions { SocketDir = _dir, MetricsEndpoint = new IPEndPoint(IPAddress.Loopback, 0) };
        await using var server = DaemonServer.Build(options, new DaemonMetrics(), _ => { },
            services => services.AddSingleton<ICniCallHandler>(new DispatcherCallHandler(plugin, NullLogger<DispatcherCallHandler>.Instance)));
        await server.StartAsync(CancellationToken.None);

        foreach (var verb in new[] { "ADD", "DEL" })
        {
            var thick = await RunShimAsync(Env(verb), Config());
            using var thinOut = new MemoryStream();
            var thinExit = await PluginDispatcher.RunAsync(Env(verb), new MemoryStream(Config()), thinOut, TextWriter.Null, plugin, CancellationToken.None);

            Assert.Equal(thinExit, thick.ExitCode);
            Assert.Equal(Encoding.UTF8.GetString(thinOut.ToArray()), Encoding.UTF8.GetString(thick.Stdout));
        }
    }

    private byte[] Config(double timeoutSeconds = 20) => Encoding.UTF8.GetBytes(
        $$"""{"cniVersion":"0.4.0","name":"plexus","type":"plexus-shim","daemonSocketDir":"{{_dir}}","daemonTimeoutSeconds":{{timeoutSeconds}}}""");

    private static async Task<(int ExitCode, byte[] Stdout)> RunShimAsync(IReadOnlyDictionary<string, string> env, byte[] stdin)
    {
        var (exit, stdout, _) = await PublishedBinary.Shim.RunAsync(env, stdin);
        return (exit, stdout);
    }

    private static Dictionary<string, string> Env(string command) => new()
    {
        ["CNI_COMMAND"] = command,
        ["CNI_CONTAINERID"] = "c0ffee",
        ["CNI_NETNS"] = "/run/netns/none",
        ["CNI_IFNAME"] = "eth0",
        ["CNI_PATH"] = "/usr/lib/cni",
        ["CNI_ARGS"] = "IgnoreUnknown=1;K8S_POD_NAMESPACE=ns1;K8S_POD_NAME=p1",
    };

    private sealed class DelFailsPlugin : ICniPlugin
    {
        public Task<CniResult> AddAsync(CniInvocation invocation, CancellationToken cancellationToken) =>
            Task.FromResult(CniResult.Parse(JsonNode.Parse("""{"cniVersion":"1.0.0","ips":[{"address":"10.9.0.2/24"}]}"""), CniVersion.V100));

        public Task DelAsync(CniInvocation invocation, CancellationToken cancellationToken) =>
            Task.FromException(new CniException(CniErrorCode.IoFailure, "delegate \"ns1/macvlan\" DEL failed", "device busy"));

        public Task CheckAsync(CniInvocation invocation, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task GcAsync(CniInvocation invocation, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StatusAsync(CniInvocation invocation, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
