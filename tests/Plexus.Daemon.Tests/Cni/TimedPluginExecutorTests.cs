using Plexus.Cni;
using Plexus.Cni.Invoke;
using Plexus.Daemon.Cni;
using Plexus.Daemon.Metrics;

namespace Plexus.Daemon.Tests.Cni;

public sealed class TimedPluginExecutorTests
{
    [Fact]
    public async Task ExecuteAsync_SuccessAndFailure_ObservedPerVerbAndNetworkAndVersionSkipped()
    {
        var metrics = new DaemonMetrics();
        var executor = new TimedPluginExecutor(new Fake(), metrics);

        await executor.ExecuteAsync(Invocation("ADD", "ns1/macvlan"), CancellationToken.None);
        await Assert.ThrowsAsync<CniException>(() => executor.ExecuteAsync(Invocation("DEL", "ns1/macvlan"), CancellationToken.None));
        await executor.ExecuteAsync(Invocation("VERSION", null), CancellationToken.None);

        Assert.Equal(1, metrics.DelegateDuration.WithLabels("ADD", "ns1/macvlan").Count);
        Assert.Equal(1, metrics.DelegateDuration.WithLabels("DEL", "ns1/macvlan").Count);
        Assert.Equal(0, metrics.DelegateDuration.WithLabels("VERSION", "unknown").Count);
    }

    private static PluginInvocation Invocation(string command, string? network) =>
        new() { PluginPath = "/usr/lib/cni/macvlan", Command = command, NetworkName = network };

    private sealed class Fake : IPluginExecutor
    {
        public string Locate(string type, IReadOnlyList<string> binDirs) => "/usr/lib/cni/" + type;

        public Task<byte[]> ExecuteAsync(PluginInvocation invocation, CancellationToken cancellationToken) =>
            invocation.Command == "DEL"
                ? Task.FromException<byte[]>(new CniException(CniErrorCode.IoFailure, "delegate failed"))
                : Task.FromResult("{}"u8.ToArray());
    }
}
