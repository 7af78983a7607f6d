using System.Net.Sockets;
using Plexus.Cni;
using Plexus.Daemon.Cni;
using Plexus.Daemon.Protocol.Shim;
using Plexus.Daemon.Tests.Testing;

namespace Plexus.Daemon.Tests.Server;

public sealed class ConnectionLimitTests
{
    [Fact]
    public async Task Socket_MoreIdleConnectionsThanTheLimit_ExtraOnesClosedAtOnceAndServingResumesWhenTheyGo()
    {
        var handler = new ScriptedHandler((_, _) => Task.FromResult(CniOutcome.Success(CniVersion.V040, new() { ["cniVersion"] = "0.4.0" })));
        await using var daemon = await TestDaemon.StartAsync(handler, o => o with { MaxInFlight = 1, MaxQueued = 0 });
        var limit = daemon.Options.MaxConnections;
        var sockets = new List<Socket>();
        try
        {
            for (var i = 0; i < limit + 8; i++)
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(daemon.Options.SocketPath));
                sockets.Add(socket);
            }

            // The daemon hangs up on the ones beyond the limit: their read ends at once with 0 bytes.
            var closedByDaemon = 0;
            foreach (var socket in sockets.Skip(limit))
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                if (await socket.ReceiveAsync(new byte[1], SocketFlags.None, timeout.Token) == 0)
                {
                    closedByDaemon++;
                }
            }
            Assert.Equal(8, closedByDaemon);
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }

        var output = await WaitForServingAsync(daemon);
        Assert.Equal(0, output.ExitCode);
    }

    private static async Task<ShimOutput> WaitForServingAsync(TestDaemon daemon)
    {
        // The daemon notices the closed idle connections as they hang up; a call may still find the limit full briefly.
        for (var attempt = 0; ; attempt++)
        {
            var output = await daemon.ShimAsync("ADD", "after");
            if (output.ExitCode == 0 || attempt == 50)
            {
                return output;
            }
            await Task.Delay(100);
        }
    }
}
