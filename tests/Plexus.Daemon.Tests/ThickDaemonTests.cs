using System.Net;
using System.Text;
using Plexus.Daemon.Config;
using Plexus.Daemon.Protocol.Shim;
using Plexus.Daemon.Tests.Testing;

namespace Plexus.Daemon.Tests;

public sealed class ThickDaemonTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("plexusd-compose-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("--config=/nonexistent/plexusd.json", "cannot read config")]
    [InlineData("--verbose", "usage")]
    public async Task RunAsync_BadArguments_Exit2WithReason(string arg, string expected)
    {
        using var stderr = new StringWriter();

        var exit = await ThickDaemon.RunAsync([arg], _ => null, stderr);

        Assert.Equal(2, exit);
        Assert.Contains(expected, stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_InvalidConfig_Exit2NamingEveryBadKey()
    {
        var path = Path.Combine(_dir, "daemon.json");
        await File.WriteAllTextAsync(path, """{"maxInFlight":"lots","metricsAddress":"nowhere"}""");
        using var stderr = new StringWriter();

        var exit = await ThickDaemon.RunAsync(["--config=" + path], _ => null, stderr);

        Assert.Equal(2, exit);
        Assert.Contains("maxInFlight", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("metricsAddress", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_NoApiServer_ServesTheRealMetaPlugin()
    {
        var settings = new DaemonSettings
        {
            Server = new DaemonOptions { SocketDir = Path.Combine(_dir, "run"), MetricsEndpoint = new IPEndPoint(IPAddress.Loopback, 0) },
        };
        await using var server = ThickDaemon.Build(settings, _ => null);
        await server.StartAsync(CancellationToken.None);
        var config = Encoding.UTF8.GetBytes($$"""
            {"cniVersion":"0.4.0","name":"plexus","type":"plexus-shim","daemonSocketDir":"{{settings.Server.SocketDir}}",
             "cniDir":"{{_dir}}/cni","delegates":[{"cniVersion":"0.4.0","name":"n1","type":"bridge"}]}
            """);

        // DEL of a container the meta-plugin never saw: idempotent success, as thin mode.
        var output = await ShimRunner.RunAsync(TestDaemon.Env("DEL", "never-added"), config, CancellationToken.None);

        Assert.Equal((0, ""), (output.ExitCode, Encoding.UTF8.GetString(output.Stdout)));
    }
}
